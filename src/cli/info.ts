import type { Command } from "commander";
import { openModel } from "../formats/open.js";
import type { Tensor } from "../ir/graph.js";
import { formatShape } from "../ir/shape.js";
import type { CliIO } from "./io.js";

/** `kerasgraph info MODEL`: what the file is (format, Keras version) and the model's inputs and outputs. */
export function registerInfo(program: Command, io: CliIO): void {
  program
    .command("info")
    .description("print the file's format, Keras version, and the model's inputs and outputs")
    .argument("<model>", "a .keras, .h5, Keras JSON or TF.js model.json file (detected by content)")
    .action(async (model: string) => {
      const { format, graph, kerasVersion, backend } = await openModel(model, { weights: false });
      const params = graph.paramCounts();
      const lines = [
        `file:          ${model}`,
        `format:        ${format}`,
        `keras_version: ${kerasVersion ?? "unknown"}`,
        ...(backend ? [`backend:       ${backend}`] : []),
        `model:         ${graph.name} (${graph.className}, ${graph.layers.length} layers, ${params.total.toLocaleString("en-US")} params)`,
        "inputs:",
        ...graph.inputs.map(describeTensor),
        "outputs:",
        ...graph.outputs.map(describeTensor),
      ];
      io.stdout.write(`${lines.join("\n")}\n`);
    });
}

function describeTensor(t: Tensor): string {
  return `  ${t.layer.name}: ${formatShape(t.shape)} ${t.dtype}`;
}
