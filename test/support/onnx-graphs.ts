/**
 * Small ONNX models written in the tests, as PyTorch / tf2onnx / Keras's exporter would write them, for
 * the importer's op-by-op checks against onnxruntime.
 */
import { encodeOnnxModel } from "../../src/formats/onnx/proto.js";
import type { OnnxAttribute, OnnxNode, OnnxTensor } from "../../src/formats/onnx/model.js";
import { seeded } from "./onnx-reference.js";

export type Dims = (number | string)[];

export interface ModelSpec {
  opset?: number;
  inputs: { name: string; shape: Dims; type?: number }[];
  outputs: { name: string; shape?: Dims }[];
  nodes: OnnxNode[];
  initializers?: OnnxTensor[];
}

/** A node; attributes as plain values (numbers are ints when `ints` names them, else floats). */
export function node(op: string, inputs: string[], outputs: string[], attrs: Record<string, unknown> = {}): OnnxNode {
  const attributes: Record<string, OnnxAttribute> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === "string") attributes[k] = { type: "string", value: v };
    else if (Array.isArray(v) && v.every((x) => typeof x === "string"))
      attributes[k] = { type: "strings", value: v as string[] };
    else if (Array.isArray(v))
      attributes[k] = FLOAT_LISTS.has(k)
        ? { type: "floats", value: v as number[] }
        : { type: "ints", value: v as number[] };
    else if (typeof v === "number")
      attributes[k] = FLOATS.has(k) ? { type: "float", value: v } : { type: "int", value: v };
    else attributes[k] = { type: "tensor", value: v as OnnxTensor };
  }
  return { name: `${op}_${outputs[0]}`, opType: op, inputs, outputs, attributes };
}

const FLOATS = new Set([
  "alpha",
  "beta",
  "epsilon",
  "momentum",
  "gamma",
  "min",
  "max",
  "value",
  "lambd",
  "bias",
  "cubic_coeff_a",
  "extrapolation_value",
  "ratio",
  "clip",
]);
const FLOAT_LISTS = new Set(["activation_alpha", "activation_beta", "scales"]);

/** A float32 initializer of pseudo-random values in [-scale, scale). */
export function weight(name: string, dims: number[], seed = 1, scale = 0.5): OnnxTensor {
  const rand = seeded(seed);
  const n = dims.reduce((a, b) => a * b, 1);
  return { name, dataType: 1, dims, data: Float32Array.from({ length: n }, () => (rand() * 2 - 1) * scale) };
}

export function floats(name: string, dims: number[], values: number[]): OnnxTensor {
  return { name, dataType: 1, dims, data: Float32Array.from(values) };
}

export function ints(name: string, values: number[], dims: number[] = [values.length]): OnnxTensor {
  return { name, dataType: 7, dims, data: BigInt64Array.from(values.map(BigInt)) };
}

/** The model's bytes (IR version of the opset, outputs with unknown shapes unless given). */
export function onnxModel(spec: ModelSpec): Uint8Array {
  const opset = spec.opset ?? 17;
  return encodeOnnxModel({
    irVersion: opset <= 14 ? 7 : opset <= 18 ? 8 : 9,
    opsetImports: [{ domain: "", version: opset }],
    producerName: "kerasgraph-test",
    producerVersion: "0",
    metadata: {},
    graph: {
      name: "test",
      nodes: spec.nodes,
      inputs: spec.inputs.map((i) => ({ name: i.name, elemType: i.type ?? 1, shape: i.shape })),
      outputs: spec.outputs.map((o) => ({ name: o.name, elemType: 1, shape: o.shape ?? null })),
      initializers: spec.initializers ?? [],
      valueInfo: [],
    },
  });
}
