/**
 * ONNX import: the time to bring an ONNX file into Keras layers (read, passes, mapping, graph with
 * every Keras shape), median of 7 runs after 2 warm-ups, against onnxruntime's own load of the same
 * file (`InferenceSession.create`, graph optimizations on) as the anchor: ratio = ours / anchor. Then
 * how clean the imported models are in each layout mode: layers, Permutes and channels-first layers
 * ("auto" keeps PyTorch's channels-first regions; "channels_last" converts them behind Permutes).
 * Run alone: node --import tsx tools/bench/onnx-import.ts
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { importOnnxBytes } from "../../src/formats/onnx/import/import.js";
import type { Graph } from "../../src/ir/graph.js";

const ROOT = join(import.meta.dirname, "..", "..");
const REAL = "fixtures/real";
const MODELS = [
  `${REAL}/onnx+onnx/onnx/backend/test/data/light/light_resnet50.onnx`,
  "fixtures/keras3/seed/autoencoder/keras_export.onnx",
  `${REAL}/NeuralNetworkVerification+Marabou/resources/onnx/cnn_max_mninst2.onnx`,
  `${REAL}/fastmachinelearning+example-models/onnx/three_layer_pytorch.onnx`,
];
const WARMUP = 2;
const RUNS = 7;

export interface BenchRow {
  name: string;
  ours: number;
  anchor?: number;
  ratio?: number;
  unit: string;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const short = (path: string) => path.split("/").at(-1)!.replace(".onnx", "") + (path.includes("keras3/seed") ? ` (${path.split("/").at(-2)})` : "");

/** Layers, Permute layers and channels-first layers of an imported model. */
function shapeOf(graph: Graph): { layers: number; permutes: number; channelsFirst: number } {
  const layers = graph.layers.filter((l) => l.className !== "InputLayer");
  return {
    layers: layers.length,
    permutes: layers.filter((l) => l.className === "Permute").length,
    channelsFirst: layers.filter((l) => l.config.data_format === "channels_first" || (l.className === "BatchNormalization" && l.config.axis === 1)).length,
  };
}

export async function benchOnnxImport(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const model of MODELS) {
    const bytes = new Uint8Array(readFileSync(join(ROOT, model)));
    const ours: number[] = [];
    const anchor: number[] = [];
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const t0 = performance.now();
      importOnnxBytes(bytes, { file: model });
      const t1 = performance.now();
      const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
      const t2 = performance.now();
      await session.release();
      if (i < WARMUP) continue;
      ours.push(t1 - t0);
      anchor.push(t2 - t1);
    }
    const o = median(ours);
    const a = median(anchor);
    rows.push({ name: `import ${short(model)} (anchor: onnxruntime session create)`, ours: round(o), anchor: round(a), ratio: round(o / a, 2), unit: "ms" });
  }
  for (const model of MODELS) {
    const bytes = new Uint8Array(readFileSync(join(ROOT, model)));
    for (const layout of ["auto", "channels_last"] as const) {
      const s = shapeOf(importOnnxBytes(bytes, { file: model, layout }).graph);
      rows.push({ name: `${short(model)} layout=${layout}: layers / Permutes / channels-first`, ours: s.layers, unit: `layers (${s.permutes} Permute, ${s.channelsFirst} channels-first)` });
    }
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log("| measurement | ours | anchor | ratio | unit |\n| --- | ---: | ---: | ---: | --- |");
  for (const r of await benchOnnxImport()) console.log(`| ${r.name} | ${r.ours} | ${r.anchor ?? ""} | ${r.ratio ?? ""} | ${r.unit} |`);
}
