import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Command } from "commander";
import { writeAtomically } from "../formats/atomic-write.js";
import { writeNpyFile } from "../formats/npy/write.js";
import type { CliIO } from "./io.js";
import { collect, formatDims, positiveOpset, readInputs, table } from "./model-inputs.js";

type ExtractFlags = { input: string[]; layers: string; out: string; opset?: number; png?: boolean };

/**
 * `kerasgraph extract MODEL --input A.npy ... --layers NAME[,NAME...] --out DIR`: writes each layer's
 * output as DIR/<layer>.npy (`--layers all`: every layer). Layers inside nested models are named by
 * path (`encoder/conv2d`, written as DIR/encoder/conv2d.npy); a layer called k > 0 times more adds `@k`.
 * `--png` also draws each output as DIR/<layer>.png, a heatmap grid of its channels (tools/heatmap).
 */
export function registerExtract(program: Command, io: CliIO): void {
  program
    .command("extract")
    .description("write intermediate layer outputs (feature extraction, nested models included) as .npy files")
    .argument("<model>", "a .keras, .h5, Keras JSON + weights or TF.js file (detected by content)")
    .requiredOption("--input <file>", "an input array, A.npy in input order or name=A.npy (repeat per input)", collect)
    .requiredOption("--layers <names>", "comma-separated layer names or paths (encoder/conv2d), or all")
    .requiredOption("--out <dir>", "the folder to write <layer>.npy files into")
    .option("--opset <n>", "the ONNX opset of the in-memory conversion (13–21)", positiveOpset)
    .option("--png", "also write <layer>.png: the first sample's channels as heatmaps (a strip for vectors)")
    .action(async (modelPath: string, opts: ExtractFlags) => {
      const inputs = await readInputs(opts.input);
      const layers =
        opts.layers.trim() === "all"
          ? "all"
          : opts.layers
              .split(",")
              .map((s) => s.trim())
              .filter(Boolean);
      const [{ loadModel }, { activationPng }] = await Promise.all([
        import("../exec/ort/model.js"),
        import("../tools/heatmap/index.js"),
      ]);
      const model = await loadModel(modelPath, opts.opset ? { onnx: { opset: opts.opset } } : {});
      try {
        const values = await model.extract(layers, inputs);
        const rows = [["layer", "shape", "dtype", "file"]];
        for (const [key, a] of values) {
          const file = join(opts.out, `${key}.npy`);
          await mkdir(dirname(file), { recursive: true });
          await writeNpyFile(file, a);
          if (opts.png) {
            const png = activationPng(a, {}, `layer '${key}'`);
            await writeAtomically(join(opts.out, `${key}.png`), (temp) => writeFile(temp, png));
          }
          rows.push([key, formatDims(a.shape), a.dtype, opts.png ? `${file} (+ .png)` : file]);
        }
        io.stdout.write(table(rows));
      } finally {
        await model.dispose();
      }
    });
}
