/**
 * The ONNX writer on models built here with hand-set weights: numerics against plain-TypeScript
 * references (Dense, Keras's LSTM/GRU gate orders), naming, the layout pass, opsets 13–21, the spec
 * checker, and the errors raised before anything is written.
 */
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { OrtSession } from "../../src/exec/ort/session.js";
import type { NdArray } from "../../src/formats/npy/array.js";
import { checkOnnxModel } from "../../src/formats/onnx/check/check.js";
import { MAX_OPSET, MIN_OPSET, exportOnnx } from "../../src/formats/onnx/convert.js";
import type { OnnxModel } from "../../src/formats/onnx/model.js";
import { decodeOnnxModel, encodeOnnxModel } from "../../src/formats/onnx/proto.js";
import { writeOnnxFile } from "../../src/formats/onnx/write.js";
import { openModel } from "../../src/formats/open.js";
import { FormatError, UnsupportedLayerError } from "../../src/ir/errors.js";
import type { Graph } from "../../src/ir/graph.js";
import { mismatch } from "../support/allclose.js";
import { KERAS3 } from "../support/fixtures.js";
import { fillWeights, random, sequential } from "../support/keras-json-models.js";
import { gruReference, lstmReference } from "../support/recurrent-reference.js";

const sessions: OrtSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.release();
});

async function run(model: OnnxModel, inputs: NdArray[]): Promise<NdArray[]> {
  const s = await OrtSession.fromModel(model);
  sessions.push(s);
  return s.run(inputs);
}

function randomArray(shape: number[], seed: number): NdArray {
  const rnd = random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return { dtype: "float32", shape, data: Float32Array.from({ length: n }, () => 2 * rnd()) };
}

const w = (g: Graph, layer: string, name: string) => g.getLayer(layer)!.values.get(name)!.values as Float32Array;
const flat = (a: number[][][] | number[][]): NdArray => {
  const data = Float32Array.from(a.flat(2) as number[]);
  const shape = Array.isArray(a[0]![0])
    ? [a.length, a[0]!.length, (a[0] as number[][])[0]!.length]
    : [a.length, (a[0] as number[]).length];
  return { dtype: "float32", shape, data };
};

describe("emitters against hand computations", () => {
  it("Dense(relu) is x·kernel + bias, rank 2 as Gemm and rank 3 as MatMul", async () => {
    for (const shape of [[4], [3, 4]]) {
      const g = sequential(shape, [["Dense", { units: 3, activation: "relu" }]]);
      fillWeights(g, 7);
      const x = randomArray([2, ...shape], 3);
      const [y] = await run(exportOnnx(g).model, [x]);
      const k = w(g, "l0", "kernel");
      const b = w(g, "l0", "bias");
      const rows = x.data.length / 4;
      const want = new Float32Array(rows * 3);
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < 3; j++) {
          let s = b[j]!;
          for (let i = 0; i < 4; i++) s += (x.data[r * 4 + i] as number) * k[i * 3 + j]!;
          want[r * 3 + j] = Math.max(0, s);
        }
      }
      expect(
        mismatch(
          y!,
          { dtype: "float32", shape: [2, ...shape.slice(0, -1), 3], data: want },
          { atol: 1e-6, rtol: 1e-5 },
        ),
      ).toBeNull();
      const ops = exportOnnx(g).model.graph.nodes.map((n) => n.opType);
      expect(ops).toEqual(shape.length === 1 ? ["Gemm", "Relu"] : ["MatMul", "Add", "Relu"]);
    }
  });

  it.for([
    ["LSTM", false, false],
    ["LSTM", true, false],
    ["LSTM", true, true],
    ["GRU", true, true],
    ["GRU", true, false],
    ["GRU", false, false],
  ] as const)(
    "%s(return_sequences=%s, gate variant %s) follows Keras's gate order",
    async ([cls, sequences, variant]) => {
      const config: Record<string, unknown> = { units: 4, return_sequences: sequences };
      if (cls === "LSTM") config.go_backwards = variant;
      else config.reset_after = variant;
      const g = sequential([5, 3], [[cls, config]]);
      fillWeights(g, 11);
      const x = randomArray([2, 5, 3], 5);
      const [y] = await run(exportOnnx(g).model, [x]);
      const cell = cls === "LSTM" ? "lstm_cell" : "gru_cell";
      const weights = {
        kernel: w(g, "l0", `${cell}/kernel`),
        recurrent: w(g, "l0", `${cell}/recurrent_kernel`),
        bias: w(g, "l0", `${cell}/bias`),
      };
      const ref =
        cls === "LSTM"
          ? lstmReference(x.data as Float32Array, [2, 5, 3], weights, 4, variant)
          : gruReference(x.data as Float32Array, [2, 5, 3], weights, 4, variant);
      expect(mismatch(y!, flat(sequences ? ref.sequence : ref.last), { atol: 1e-5, rtol: 1e-4 })).toBeNull();
      expect(exportOnnx(g).model.graph.nodes.map((n) => n.opType)).toContain(cls);
    },
  );

  it("Bidirectional(LSTM) is one bidirectional op; the backward run's outputs line up with the input steps", async () => {
    for (const mode of ["concat", "sum"]) {
      const g = sequential(
        [5, 3],
        [
          [
            "Bidirectional",
            {
              layer: { class_name: "LSTM", config: { name: "lstm", units: 4, return_sequences: true } },
              merge_mode: mode,
            },
          ],
        ],
      );
      fillWeights(g, 13);
      const x = randomArray([2, 5, 3], 9);
      const exported = exportOnnx(g).model;
      expect(exported.graph.nodes.filter((n) => n.opType === "LSTM").map((n) => n.attributes.direction?.value)).toEqual(
        ["bidirectional"],
      );
      const [y] = await run(exported, [x]);
      const dir = (d: string) => ({
        kernel: w(g, "l0", `${d}_lstm/lstm_cell/kernel`),
        recurrent: w(g, "l0", `${d}_lstm/lstm_cell/recurrent_kernel`),
        bias: w(g, "l0", `${d}_lstm/lstm_cell/bias`),
      });
      const fwd = lstmReference(x.data as Float32Array, [2, 5, 3], dir("forward"), 4).sequence;
      const bwd = lstmReference(x.data as Float32Array, [2, 5, 3], dir("backward"), 4, true).sequence.map((s) =>
        [...s].reverse(),
      );
      const merged = fwd.map((s, n) =>
        s.map((v, t) => (mode === "concat" ? [...v, ...bwd[n]![t]!] : v.map((a, j) => a + bwd[n]![t]![j]!))),
      );
      expect(mismatch(y!, flat(merged), { atol: 1e-5, rtol: 1e-4 })).toBeNull();
    }
  });
});

describe("Keras operations in functional models (x + 3, keras.ops.mean)", () => {
  const tensor = (layer: string, shape: (number | null)[]) => ({
    class_name: "__keras_tensor__",
    config: { shape, dtype: "float32", keras_history: [layer, 0, 0] },
  });
  const op = (module: string, cls: string, name: string, config: Record<string, unknown>, args: unknown[]) => ({
    module,
    class_name: cls,
    config: { name, ...config },
    registered_name: cls,
    name,
    inbound_nodes: [{ args, kwargs: {} }],
  });

  it("emits the operation, not the layer of the same class name, with scalars as constants", async () => {
    const { readKerasJson } = await import("../../src/formats/keras-json/read.js");
    const graph = readKerasJson({
      module: "keras",
      class_name: "Functional",
      config: {
        name: "ops",
        layers: [
          {
            module: "keras.layers",
            class_name: "InputLayer",
            config: { name: "x", batch_shape: [null, 4, 3], dtype: "float32" },
            name: "x",
            inbound_nodes: [],
          },
          op("keras.src.ops.numpy", "Add", "add", {}, [tensor("x", [null, 4, 3]), 3.0]),
          op("keras.src.ops.numpy", "Mean", "mean", { axis: 1, keepdims: false }, [tensor("add", [null, 4, 3])]),
          op("keras.src.ops.numpy", "Multiply", "multiply", {}, [tensor("mean", [null, 3]), 0.5]),
          op("keras.src.ops.nn", "Relu6", "relu6", {}, [tensor("multiply", [null, 3])]),
        ],
        input_layers: [["x", 0, 0]],
        output_layers: [["relu6", 0, 0]],
      },
    });
    const m = exportOnnx(graph).model;
    expect(m.graph.nodes.map((n) => n.opType)).toEqual(["Add", "ReduceMean", "Mul", "Clip"]);
    const x = randomArray([2, 4, 3], 4);
    const [y] = await run(m, [x]);
    const want = new Float32Array(6);
    for (let n = 0; n < 2; n++)
      for (let c = 0; c < 3; c++) {
        let s = 0;
        for (let t = 0; t < 4; t++) s += (x.data[(n * 4 + t) * 3 + c] as number) + 3;
        want[n * 3 + c] = Math.min(6, Math.max(0, (s / 4) * 0.5));
      }
    expect(mismatch(y!, { dtype: "float32", shape: [2, 3], data: want }, { atol: 1e-6, rtol: 1e-6 })).toBeNull();
  });

  it("names an operation it has no emitter for by its module", async () => {
    const { readKerasJson } = await import("../../src/formats/keras-json/read.js");
    const graph = readKerasJson({
      module: "keras",
      class_name: "Functional",
      config: {
        name: "ops",
        layers: [
          {
            module: "keras.layers",
            class_name: "InputLayer",
            config: { name: "x", batch_shape: [null, 4], dtype: "float32" },
            name: "x",
            inbound_nodes: [],
          },
          op("keras.src.ops.numpy", "Cumsum", "cumsum", { axis: null, dtype: null }, [tensor("x", [null, 4])]),
        ],
        input_layers: [["x", 0, 0]],
        output_layers: [["cumsum", 0, 0]],
      },
    });
    expect(() => exportOnnx(graph)).toThrow(
      /no emitter for layer class 'keras\.src\.ops\.numpy\.Cumsum' \(used by 'cumsum'\)/,
    );
  });
});

describe("the exported graph", () => {
  it("names inputs and outputs after the Keras layers, nodes and initializers after their layer", () => {
    const g = sequential(
      [4],
      [
        ["Dense", { units: 3 }],
        ["Dense", { units: 2, activation: "softmax" }],
      ],
    );
    fillWeights(g);
    const m = exportOnnx(g).model;
    expect(m.graph.inputs.map((i) => i.name)).toEqual(["x"]);
    expect(m.graph.outputs.map((o) => [o.name, o.shape])).toEqual([["l1", ["batch", 2]]]);
    expect(m.graph.nodes.every((n) => /^l[01]\//.test(n.name))).toBe(true);
    expect(m.graph.initializers.map((t) => t.name).sort()).toEqual(["l0/bias", "l0/kernel", "l1/bias", "l1/kernel"]);
    expect(m.producerName).toBe("kerasgraph");
  });

  it("has a dynamic batch dimension", async () => {
    const g = sequential([6], [["Dense", { units: 2 }]]);
    fillWeights(g);
    const m = exportOnnx(g).model;
    for (const batch of [1, 7]) expect((await run(m, [randomArray([batch, 6], batch)]))[0]!.shape).toEqual([batch, 2]);
  });

  it("round-trips through protobuf", () => {
    const g = sequential([4], [["Dense", { units: 3 }]]);
    fillWeights(g);
    const m = exportOnnx(g).model;
    const back = decodeOnnxModel(encodeOnnxModel(m));
    expect(back.graph.nodes).toEqual(m.graph.nodes);
    expect(back.graph.initializers.map((t) => [t.name, t.dims, Array.from(t.data as Float32Array)])).toEqual(
      m.graph.initializers.map((t) => [t.name, t.dims, Array.from(t.data as Float32Array)]),
    );
    expect(back.irVersion).toBe(8);
  });

  it("keeps channels-first regions whole: one Transpose in, one out (the layout pass)", async () => {
    const { graph } = await openModel(join(KERAS3, "seed/autoencoder/model.keras"));
    const optimized = exportOnnx(graph).model;
    const naive = exportOnnx(graph, { optimize: false }).model;
    const count = (m: OnnxModel) => m.graph.nodes.filter((n) => n.opType === "Transpose").length;
    // Input, output, and the Reshape that turns the pooled vector back into an NHWC image.
    expect(count(optimized)).toBe(3);
    expect(count(naive)).toBe(20);
    const x = randomArray([2, 28, 28, 1], 1);
    expect(
      mismatch((await run(optimized, [x]))[0]!, (await run(naive, [x]))[0]!, { atol: 1e-6, rtol: 1e-6 }),
    ).toBeNull();
  });

  it.for(Array.from({ length: MAX_OPSET - MIN_OPSET + 1 }, (_, i) => MIN_OPSET + i))(
    "is valid and gives the same results at opset %i",
    async (opset) => {
      const { graph } = await openModel(join(KERAS3, "zoo/attention_family/model.keras"));
      const m = exportOnnx(graph, { opset }).model;
      expect(m.opsetImports).toEqual([{ domain: "", version: opset }]);
      expect(checkOnnxModel(m)).toEqual([]);
      const ops = new Set(m.graph.nodes.map((n) => n.opType));
      expect(ops.has("LayerNormalization")).toBe(opset >= 17);
      const x = [randomArray([2, 6, 16], 1), randomArray([2, 8, 16], 2)];
      const base = await run(exportOnnx(graph).model, x);
      expect(mismatch((await run(m, x))[0]!, base[0]!, { atol: 1e-5, rtol: 1e-4 })).toBeNull();
    },
  );
});

describe("errors come before anything is written", () => {
  const out = () => join(mkdtempSync(join(tmpdir(), "kg-onnx-")), "m.onnx");

  it("an unsupported layer raises UnsupportedLayerError naming every such class and layer", async () => {
    const g = sequential(
      [4],
      [
        ["Dense", { units: 3 }],
        ["Lambda", { function: "f" }],
      ],
    );
    fillWeights(g);
    const path = out();
    await expect(writeOnnxFile(g, path)).rejects.toThrow(UnsupportedLayerError);
    await expect(writeOnnxFile(g, path)).rejects.toThrow(
      /no emitter for layer class 'Lambda' \(used by 'l1'\).*registerEmitter\("Lambda"/,
    );
    expect(existsSync(path)).toBe(false);
  });

  it("a layer without weight values is named with the weight it lacks", async () => {
    const g = sequential([4], [["Dense", { units: 3 }]]);
    const path = out();
    await expect(writeOnnxFile(g, path)).rejects.toThrow(/Dense 'l0': has no values for weight 'kernel'/);
    expect(existsSync(path)).toBe(false);
  });

  it("an opset outside 13–21 is refused", () => {
    const g = sequential([4], [["Dense", { units: 3 }]]);
    fillWeights(g);
    expect(() => exportOnnx(g, { opset: 12 })).toThrow(FormatError);
    expect(() => exportOnnx(g, { opset: 22 })).toThrow(/from 13 to 21\. Received: opset=22/);
  });
});

describe("the spec checker", () => {
  const base = () => {
    const g = sequential(
      [4],
      [
        ["Dense", { units: 3 }],
        ["Softmax", {}],
      ],
    );
    fillWeights(g);
    return exportOnnx(g).model;
  };

  it("finds undefined inputs, unknown attributes, wrong types and ops newer than the opset", () => {
    const m = base();
    m.graph.nodes[1]!.inputs = ["nowhere"];
    m.graph.nodes[0]!.attributes.transB = { type: "float", value: 1 };
    m.graph.nodes.push({
      name: "g",
      opType: "Gelu",
      inputs: [m.graph.nodes[1]!.outputs[0]!],
      outputs: ["gelu"],
      attributes: {},
    });
    const issues = checkOnnxModel(m).join("\n");
    expect(issues).toMatch(/input 'nowhere' is not defined/);
    expect(issues).toMatch(/attribute 'transB' must be int, is float/);
    expect(issues).toMatch(/Gelu\): the op exists from opset 20; the model's opset is 17/);
  });

  it("finds shape errors and outputs declared with the wrong shape or type", () => {
    const m = base();
    m.graph.initializers.find((t) => t.name === "l0/kernel")!.dims = [5, 3];
    m.graph.outputs[0]!.elemType = 7;
    const issues = checkOnnxModel(m).join("\n");
    expect(issues).toMatch(/initializer 'l0\/kernel' has 12 values for dims \(5, 3\)/);
    expect(issues).toMatch(/Gemm inner dims differ: 4 and 5/);
    expect(issues).toMatch(/declared as type 7 but computes 1/);
  });

  it("passes Keras's own exports (torch.onnx) except for ops outside its table", async () => {
    const { readFileSync } = await import("node:fs");
    const m = decodeOnnxModel(readFileSync(join(KERAS3, "seed/mnist_mlp/keras_export.onnx")));
    expect(checkOnnxModel(m)).toEqual([]);
  });
});
