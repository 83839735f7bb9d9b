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
import type { OnnxNode, OnnxTensor } from "../../src/formats/onnx/model.js";
import { encodeOnnxModel } from "../../src/formats/onnx/proto.js";
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

/**
 * A deep graph as Keras's exporter writes a convolution stack: per block Transpose → Conv → Transpose
 * → Add(bias) → Relu (5 nodes), `blocks` deep — the importer's passes must stay linear in its size.
 */
function deepConvStack(blocks: number): Uint8Array {
  const nodes: OnnxNode[] = [];
  const initializers: OnnxTensor[] = [];
  const op = (opType: string, inputs: string[], output: string, perm?: number[]): OnnxNode => ({
    name: output,
    opType,
    inputs,
    outputs: [output],
    attributes: {
      ...(perm ? { perm: { type: "ints", value: perm } } : {}),
      ...(opType === "Conv" ? { pads: { type: "ints", value: [1, 1, 1, 1] } } : {}),
    },
  });
  let x = "x";
  for (let i = 0; i < blocks; i++) {
    initializers.push({ name: `w${i}`, dataType: 1, dims: [4, 4, 3, 3], data: new Float32Array(144).fill(0.01) });
    initializers.push({ name: `b${i}`, dataType: 1, dims: [4], data: new Float32Array(4).fill(0.1) });
    nodes.push(op("Transpose", [x], `t${i}`, [0, 3, 1, 2]), op("Conv", [`t${i}`, `w${i}`], `c${i}`));
    nodes.push(op("Transpose", [`c${i}`], `u${i}`, [0, 2, 3, 1]), op("Add", [`u${i}`, `b${i}`], `a${i}`), op("Relu", [`a${i}`], `r${i}`));
    x = `r${i}`;
  }
  return encodeOnnxModel({
    irVersion: 8,
    opsetImports: [{ domain: "", version: 17 }],
    producerName: "bench",
    producerVersion: "0",
    metadata: {},
    graph: {
      name: "deep",
      nodes,
      initializers,
      inputs: [{ name: "x", elemType: 1, shape: ["N", 8, 8, 4] }],
      outputs: [{ name: x, elemType: 1, shape: null }],
      valueInfo: [],
    },
  });
}

export async function benchOnnxImport(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const deep = deepConvStack(800);
  const times: number[] = [];
  for (let i = 0; i < 4; i++) {
    const t0 = performance.now();
    importOnnxBytes(deep);
    if (i > 0) times.push(performance.now() - t0);
  }
  rows.push({ name: "import a 4,000-node Keras-style conv stack (800 × Transpose·Conv·Transpose·Add·Relu)", ours: round(median(times)), unit: "ms" });
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
