/**
 * ONNX ops that no Keras layer computes but a Keras 3 operation does (comparisons, Not, Cast, reductions
 * over non-batch axes, batched MatMul of rank 4), and the RMS normalization pattern: small graphs
 * imported as the Keras operations and layers listed, computing what onnxruntime computes on the
 * original graph (on our ONNX executor; TF.js has no Keras operations). What would touch the batch axis
 * is refused by name.
 */
import { afterAll, describe, expect, it } from "vitest";
import { OrtModel } from "../../src/exec/ort/model.js";
import { importOnnxBytes } from "../../src/formats/onnx/import/import.js";
import { UnsupportedLayerError } from "../../src/ir/errors.js";
import { mismatch } from "../support/allclose.js";
import { type ModelSpec, floats, ints, node, onnxModel, weight } from "../support/onnx-graphs.js";
import { declaredInputs, makeInputs, ortOutputs } from "../support/onnx-reference.js";

const N = "N";
const models: OrtModel[] = [];
afterAll(async () => {
  for (const m of models) await m.dispose();
});

/** RMS normalization over the last axis as an exporter writes it: `x / sqrt(mean(x²) + ε) · scale`. */
const rms = (square: "Mul" | "Pow", divide: "Div" | "Reciprocal"): ModelSpec => ({
  opset: 18,
  inputs: [{ name: "x", shape: [N, 3, 6] }],
  outputs: [{ name: "y" }],
  initializers: [ints("axes", [-1]), floats("eps", [], [1e-5]), floats("two", [], [2]), weight("scale", [6], 9)],
  nodes: [
    square === "Mul" ? node("Mul", ["x", "x"], ["sq"]) : node("Pow", ["x", "two"], ["sq"]),
    node("ReduceMean", ["sq", "axes"], ["ms"], { keepdims: 1 }),
    node("Add", ["ms", "eps"], ["v"]),
    node("Sqrt", ["v"], ["s"]),
    ...(divide === "Div"
      ? [node("Div", ["x", "s"], ["n"])]
      : [node("Reciprocal", ["s"], ["r"]), node("Mul", ["x", "r"], ["n"])]),
    node("Mul", ["n", "scale"], ["y"]),
  ],
});

const CASES: { name: string; spec: ModelSpec; layers: string[] }[] = [
  {
    name: "Masking-like: Greater(x, 0.2) → Not → Cast → ReduceMax(-1, keepdims) → Mul",
    spec: {
      // Rank 4, so that the reduced axis is no pooling's (the global-pooling pass takes those).
      inputs: [{ name: "x", shape: [N, 2, 5, 4] }],
      outputs: [{ name: "y" }],
      initializers: [floats("t", [], [0.2])],
      nodes: [
        node("Greater", ["x", "t"], ["g"]),
        node("Not", ["g"], ["n"]),
        node("Cast", ["n"], ["c"], { to: 1 }),
        node("ReduceMax", ["c"], ["m"], { axes: [-1], keepdims: 1 }),
        node("Mul", ["x", "m"], ["y"]),
      ],
    },
    layers: ["Greater", "LogicalNot", "Cast", "Max", "Multiply"],
  },
  {
    name: "ReduceMean over two axes with axes as an input (opset 18), keepdims=0",
    spec: {
      opset: 18,
      inputs: [{ name: "x", shape: [N, 3, 4, 5] }],
      outputs: [{ name: "y" }],
      initializers: [ints("axes", [1, -1])],
      nodes: [node("ReduceMean", ["x", "axes"], ["y"], { keepdims: 0 })],
    },
    layers: ["Mean"],
  },
  {
    name: "ReduceSum (axes an input from opset 13) and ReduceMin, keepdims=1",
    spec: {
      opset: 13,
      inputs: [{ name: "x", shape: [N, 3, 4] }],
      outputs: [{ name: "y" }],
      initializers: [ints("axes", [2])],
      nodes: [
        node("ReduceSum", ["x", "axes"], ["s"], { keepdims: 1 }),
        node("ReduceMin", ["x"], ["m"], { axes: [2], keepdims: 1 }),
        node("Sub", ["s", "m"], ["y"]),
      ],
    },
    layers: ["Sum", "Min", "Subtract"],
  },
  {
    name: "MatMul of two run-time 4-D batches (attention heads)",
    spec: {
      inputs: [
        { name: "q", shape: [N, 2, 3, 4] },
        { name: "k", shape: [N, 2, 4, 5] },
      ],
      outputs: [{ name: "y" }],
      nodes: [node("MatMul", ["q", "k"], ["y"])],
    },
    layers: ["Matmul"],
  },
  { name: "RMS normalization: Mul(x, x), Div", spec: rms("Mul", "Div"), layers: ["RMSNormalization"] },
  { name: "RMS normalization: Pow(x, 2), Reciprocal", spec: rms("Pow", "Reciprocal"), layers: ["RMSNormalization"] },
];

describe("ONNX import as Keras operations, against onnxruntime", () => {
  it.for(CASES)("$name", async (c) => {
    const bytes = onnxModel(c.spec);
    const { graph } = importOnnxBytes(bytes);
    expect(graph.layers.filter((l) => l.className !== "InputLayer").map((l) => l.className)).toEqual(c.layers);
    const decls = declaredInputs(bytes);
    const inputs = makeInputs(decls, { batch: 2, seed: 5 });
    const want = await ortOutputs(bytes, decls, inputs);
    const ort = new OrtModel(graph);
    models.push(ort);
    const got = await ort.predict(inputs);
    got.forEach((g, i) => expect(mismatch(g, want[i]!), `output ${i}`).toBeNull());
  });
});

describe("what would reach the batch axis is refused", () => {
  const refused = (nodes: ModelSpec["nodes"], initializers: ModelSpec["initializers"] = [], rank = [N, 3, 4]) => {
    const bytes = onnxModel({ inputs: [{ name: "x", shape: rank }], outputs: [{ name: "y" }], nodes, initializers });
    let error: unknown;
    try {
      importOnnxBytes(bytes);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnsupportedLayerError);
    return (error as Error).message;
  };

  it("reductions over the batch axis, or over every axis", () => {
    expect(refused([node("ReduceMax", ["x"], ["y"], { axes: [0, 1], keepdims: 1 })])).toMatch(
      /ReduceMax node 'ReduceMax_y': reduces over the batch axis/,
    );
    expect(refused([node("ReduceMean", ["x"], ["y"], { keepdims: 0 })])).toMatch(/reduces every axis/);
  });

  it("MatMul of run-time tensors of different ranks, casts to strings", () => {
    const bytes = onnxModel({
      inputs: [
        { name: "a", shape: [N, 3, 4] },
        { name: "b", shape: [N, 2, 4, 5] },
      ],
      outputs: [{ name: "y" }],
      nodes: [node("MatMul", ["a", "b"], ["y"])],
    });
    expect(() => importOnnxBytes(bytes)).toThrow(/ranks 3 and 4/);
    expect(refused([node("Cast", ["x"], ["y"], { to: 8 })])).toMatch(/element type 8, which Keras tensors cannot hold/);
  });
});
