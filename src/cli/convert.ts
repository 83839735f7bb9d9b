import { writeFile } from "node:fs/promises";
import { type Command, Option } from "commander";
import { writeKerasJson } from "../formats/keras-json/write.js";
import { openModel } from "../formats/open.js";
import type { CliIO } from "./io.js";

const DIALECTS = { json: "keras3", "json-keras2": "keras2" } as const;

/** `kerasgraph convert SRC DEST`: reads any model file and writes its architecture as Keras JSON. */
export function registerConvert(program: Command, io: CliIO): void {
  program
    .command("convert")
    .description("write a model's architecture as Keras JSON (model.to_json())")
    .argument("<src>", "a .keras, .h5, Keras JSON or TF.js model.json file (detected by content)")
    .argument("<dest>", "the JSON file to write")
    .addOption(
      new Option("--to <format>", "json: Keras 3's to_json(); json-keras2: Keras 2's")
        .choices(Object.keys(DIALECTS))
        .default("json"),
    )
    .action(async (src: string, dest: string, opts: { to: keyof typeof DIALECTS }) => {
      const { graph } = await openModel(src, { weights: false });
      const json = writeKerasJson(graph, { dialect: DIALECTS[opts.to] });
      await writeFile(dest, `${JSON.stringify(json)}\n`);
      io.stdout.write(`wrote ${dest} (${opts.to}, ${graph.layers.length} layers)\n`);
    });
}
