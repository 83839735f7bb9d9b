/**
 * ONNX latency: kerasgraph's export vs Keras's own (`model.export(format="onnx")`, the
 * `keras_export.onnx` of the seed MLP and autoencoder), both on onnxruntime-node with the same session
 * options, at batch 1 and 32. Each row is the median latency of one `session.run`, measured in
 * alternating rounds so both models see the same machine state; ratio = ours / anchor (target <= 0.8).
 * Run alone: node --import tsx tools/bench/onnx-latency.ts [--level all|extended|basic|disabled] [--threads N]
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { exportOnnx } from "../../src/formats/onnx/convert.js";
import { encodeOnnxModel } from "../../src/formats/onnx/proto.js";
import { readNpyFile } from "../../src/formats/npy/read.js";
import { openModel } from "../../src/formats/open.js";

const ROOT = join(import.meta.dirname, "..", "..");
export const ONNX_LATENCY_TARGET = 0.8;

export interface LatencyRow {
  name: string;
  ours: number;
  anchor: number;
  ratio: number;
  unit: string;
}

export interface LatencyOptions {
  /** onnxruntime's graph optimization level for both sessions (default "all"). */
  level?: "disabled" | "basic" | "extended" | "all";
  /** Intra-op threads for both sessions (default: onnxruntime's choice). */
  threads?: number;
  batches?: number[];
  /** Timed runs per model and batch (after warm-up). */
  runs?: number;
  models?: string[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** The fixture batch repeated (or cut) to `batch` rows. */
async function batchOf(file: string, batch: number): Promise<ort.Tensor> {
  const a = await readNpyFile(file);
  const row = a.data.length / a.shape[0]!;
  const data = new Float32Array(batch * row);
  for (let i = 0; i < batch; i++) data.set((a.data as Float32Array).subarray((i % a.shape[0]!) * row, ((i % a.shape[0]!) + 1) * row), i * row);
  return new ort.Tensor("float32", data, [batch, ...a.shape.slice(1)]);
}

export async function onnxLatency(options: LatencyOptions = {}): Promise<LatencyRow[]> {
  const sessionOptions: ort.InferenceSession.SessionOptions = {
    graphOptimizationLevel: options.level ?? "all",
    ...(options.threads ? { intraOpNumThreads: options.threads } : {}),
  };
  const rows: LatencyRow[] = [];
  for (const c of options.models ?? ["seed/mnist_mlp", "seed/autoencoder"]) {
    const dir = join(ROOT, "fixtures/keras3", c);
    const { graph } = await openModel(join(dir, "model.keras"));
    const ours = await ort.InferenceSession.create(encodeOnnxModel(exportOnnx(graph).model), sessionOptions);
    const anchor = await ort.InferenceSession.create(readFileSync(join(dir, "keras_export.onnx")), sessionOptions);
    for (const batch of options.batches ?? [1, 32]) {
      const x = await batchOf(join(dir, "in/0.npy"), batch);
      const time = async (s: ort.InferenceSession) => {
        const t0 = process.hrtime.bigint();
        await s.run({ [s.inputNames[0]!]: x });
        return Number(process.hrtime.bigint() - t0) / 1e3;
      };
      const runs = options.runs ?? (batch === 1 ? 400 : 100);
      for (let i = 0; i < Math.max(20, runs / 10); i++) {
        await time(ours);
        await time(anchor);
      }
      const a: number[] = [];
      const b: number[] = [];
      for (let i = 0; i < runs; i++) {
        if (i % 2) {
          a.push(await time(ours));
          b.push(await time(anchor));
        } else {
          b.push(await time(anchor));
          a.push(await time(ours));
        }
      }
      const [mo, ma] = [median(a), median(b)];
      rows.push({ name: `${c.split("/")[1]} batch ${batch}`, ours: mo, anchor: ma, ratio: mo / ma, unit: "µs" });
    }
    await ours.release();
    await anchor.release();
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (k: string) => {
    const i = process.argv.indexOf(k);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const level = (arg("--level") ?? "all") as LatencyOptions["level"];
  const threads = arg("--threads") ? Number(arg("--threads")) : undefined;
  const rows = await onnxLatency({ level, ...(threads ? { threads } : {}) });
  console.log(`onnxruntime-node ${ort.env.versions.common}, graph optimizations: ${level}, threads: ${threads ?? "default"}\n`);
  console.log("| model | ours µs | Keras export µs | ratio |\n| --- | ---: | ---: | ---: |");
  for (const r of rows) console.log(`| ${r.name} | ${r.ours.toFixed(1)} | ${r.anchor.toFixed(1)} | ${r.ratio.toFixed(2)} |`);
  const worst = Math.max(...rows.map((r) => r.ratio));
  console.log(`\nworst ratio ${worst.toFixed(2)}: target <= ${ONNX_LATENCY_TARGET} ${worst <= ONNX_LATENCY_TARGET ? "met" : "MISSED"}`);
}
