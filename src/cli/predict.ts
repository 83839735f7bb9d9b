import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type Command, Option } from "commander";
import { TFJS_BACKENDS, type TfjsBackend } from "../exec/tfjs/backends.js";
import type { NdArray } from "../formats/npy/array.js";
import { writeNpyFile } from "../formats/npy/write.js";
import type { CliIO } from "./io.js";
import { collect, formatDims, positiveOpset, readInputs, table } from "./model-inputs.js";

/**
 * `kerasgraph predict MODEL --input A.npy [--input name=B.npy ...] --out DIR`: runs the model on
 * onnxruntime (converted to ONNX in memory; an .onnx file runs as it is) or, with `--engine tfjs`, on
 * TensorFlow.js (wasm, or `--backend cpu`), and writes DIR/<i>.npy in the model's output order, then
 * prints their shapes.
 */
export function registerPredict(program: Command, io: CliIO): void {
  program
    .command("predict")
    .description("run a model on .npy inputs (onnxruntime) and write its outputs as .npy files")
    .argument("<model>", "a .keras, .h5, Keras JSON + weights, TF.js or .onnx file (detected by content)")
    .requiredOption("--input <file>", "an input array, A.npy in input order or name=A.npy (repeat per input)", collect)
    .requiredOption("--out <dir>", "the folder to write 0.npy, 1.npy, ... into")
    .addOption(new Option("--engine <engine>", "the executor").choices(["onnx", "tfjs"]).default("onnx"))
    .addOption(
      new Option("--backend <name>", "the tfjs backend (--engine tfjs)").choices(TFJS_BACKENDS).default("wasm"),
    )
    .option("--opset <n>", "the ONNX opset of the in-memory conversion (13–21)", positiveOpset)
    .action(async (modelPath: string, opts: PredictOptions) => {
      const inputs = await readInputs(opts.input);
      const model =
        opts.engine === "tfjs"
          ? await tfjsPredictor(modelPath, opts.backend)
          : await ortPredictor(modelPath, opts.opset);
      try {
        const outputs = await model.predict(inputs);
        await mkdir(opts.out, { recursive: true });
        const layers = model.outputNames;
        const rows = [["output", "layer", "shape", "dtype", "file"]];
        for (const [i, a] of outputs.entries()) {
          const file = join(opts.out, `${i}.npy`);
          await writeNpyFile(file, a);
          rows.push([String(i), layers[i] ?? "", formatDims(a.shape), a.dtype, file]);
        }
        io.stdout.write(table(rows));
      } finally {
        await model.dispose();
      }
    });
}

interface PredictOptions {
  input: string[];
  out: string;
  engine: "onnx" | "tfjs";
  backend: TfjsBackend;
  opset?: number;
}

interface Predictor {
  outputNames: string[];
  predict(inputs: Awaited<ReturnType<typeof readInputs>>): Promise<NdArray[]>;
  dispose(): Promise<void> | void;
}

async function ortPredictor(path: string, opset?: number): Promise<Predictor> {
  const { loadModel } = await import("../exec/ort/model.js");
  const model = await loadModel(path, opset ? { onnx: { opset } } : {});
  const outputNames = model.graph?.outputs.map((t) => t.layer.name) ?? [];
  return { outputNames, predict: (x) => model.predict(x), dispose: () => model.dispose() };
}

async function tfjsPredictor(path: string, backend: TfjsBackend): Promise<Predictor> {
  const { TfjsModel } = await import("../exec/tfjs/model.js");
  const model = await TfjsModel.load(path, { backend });
  return { outputNames: model.outputNames, predict: (x) => model.predict(x), dispose: () => model.dispose() };
}
