/**
 * The importer op by op: small ONNX graphs written the way PyTorch, tf2onnx and Keras's exporter write
 * them, imported as Keras layers, must (1) come out as the Keras layers listed and (2) compute what
 * onnxruntime computes on the original graph, run on our ONNX executor and on TF.js.
 */
import { afterAll, describe, expect, it } from "vitest";
import { OrtModel } from "../../src/exec/ort/model.js";
import { TfjsModel } from "../../src/exec/tfjs/model.js";
import { tfjsGaps } from "../../src/formats/tfjs/tfjs-support.js";
import { type ImportOptions, importOnnxBytes } from "../../src/formats/onnx/import/import.js";
import { UnsupportedLayerError } from "../../src/ir/errors.js";
import { mismatch } from "../support/allclose.js";
import { type ModelSpec, floats, ints, node, onnxModel, weight } from "../support/onnx-graphs.js";
import { declaredInputs, makeInputs, ortOutputs } from "../support/onnx-reference.js";

interface Case {
  name: string;
  spec: ModelSpec;
  /** The Keras layers expected, InputLayers left out. */
  layers: string[];
  options?: ImportOptions;
  maxIndex?: number;
  /** Why TF.js does not run this one (checked: tfjs-support must report the gap). */
  noTfjs?: string;
}

const N = "N";
const conv = (name: string, out: number, inC: number, k: number, seed: number) => weight(name, [out, inC, k, k], seed);

/** PyTorch's nn.LSTM(batch_first=True): transposes around a time-major LSTM. */
function lstmCase(): Case {
  return {
    name: "PyTorch LSTM(batch_first): Transpose → LSTM → Squeeze/Transpose; h_n[-1] too",
    spec: {
      inputs: [{ name: "x", shape: [N, 5, 3] }],
      outputs: [{ name: "seq" }, { name: "last" }],
      initializers: [
        weight("W", [1, 16, 3], 1),
        weight("R", [1, 16, 4], 2),
        weight("B", [1, 32], 3),
        ints("ax1", [1]),
        ints("ax0", [0]),
      ],
      nodes: [
        node("Transpose", ["x"], ["xt"], { perm: [1, 0, 2] }),
        node("LSTM", ["xt", "W", "R", "B"], ["Y", "Y_h", "Y_c"], { hidden_size: 4 }),
        node("Squeeze", ["Y", "ax1"], ["Ys"]),
        node("Transpose", ["Ys"], ["seq"], { perm: [1, 0, 2] }),
        node("Squeeze", ["Y_h", "ax0"], ["last"]),
      ],
    },
    layers: ["LSTM"],
  };
}
const CASES: Case[] = [
  lstmCase(),
  {
    name: "GRU (linear_before_reset=1 → reset_after), sequence out as our exporter writes it",
    spec: {
      inputs: [{ name: "x", shape: [N, 6, 3] }],
      outputs: [{ name: "y" }],
      initializers: [
        weight("W", [1, 12, 3], 4),
        weight("R", [1, 12, 4], 5),
        weight("B", [1, 24], 6),
        ints("shape", [0, 0, -1]),
      ],
      nodes: [
        node("Transpose", ["x"], ["xt"], { perm: [1, 0, 2] }),
        node("GRU", ["xt", "W", "R", "B"], ["Y"], { hidden_size: 4, linear_before_reset: 1 }),
        node("Transpose", ["Y"], ["Yt"], { perm: [2, 0, 1, 3] }),
        node("Reshape", ["Yt", "shape"], ["y"]),
      ],
    },
    layers: ["GRU"],
    noTfjs: "tfjs-layers' GRU has no reset_after=True",
  },
  {
    name: "GRU (linear_before_reset=0 → reset_after=False), last state",
    spec: {
      inputs: [{ name: "x", shape: [N, 6, 3] }],
      outputs: [{ name: "h" }],
      initializers: [weight("W", [1, 12, 3], 7), weight("R", [1, 12, 4], 8), weight("B", [1, 24], 9), ints("ax0", [0])],
      nodes: [
        node("Transpose", ["x"], ["xt"], { perm: [1, 0, 2] }),
        node("GRU", ["xt", "W", "R", "B"], ["", "Y_h"], { hidden_size: 4 }),
        node("Squeeze", ["Y_h", "ax0"], ["h"]),
      ],
    },
    layers: ["GRU"],
  },
  {
    name: "RNN (Relu) from a computed initial state (initial_state)",
    spec: {
      inputs: [
        { name: "x", shape: [N, 5, 3] },
        { name: "z", shape: [N, 2] },
      ],
      outputs: [{ name: "h" }],
      initializers: [
        weight("W", [1, 4, 3], 10),
        weight("R", [1, 4, 4], 11, 0.3),
        weight("Wz", [2, 4], 12),
        ints("ax0", [0]),
      ],
      nodes: [
        node("MatMul", ["z", "Wz"], ["h0"]),
        node("Unsqueeze", ["h0", "ax0"], ["h0u"]),
        node("Transpose", ["x"], ["xt"], { perm: [1, 0, 2] }),
        node("RNN", ["xt", "W", "R", "", "", "h0u"], ["", "Y_h"], { hidden_size: 4, activations: ["Relu"] }),
        node("Squeeze", ["Y_h", "ax0"], ["h"]),
      ],
    },
    layers: ["Dense", "SimpleRNN"],
    noTfjs:
      "tfjs-layers cannot rebuild a recurrent layer called with initial_state from its config (RNN.build reads an undefined input shape)",
  },
  {
    name: "bidirectional LSTM, PyTorch's batch_first output (concatenated directions)",
    spec: {
      inputs: [{ name: "x", shape: [N, 5, 3] }],
      outputs: [{ name: "y" }],
      initializers: [
        weight("W", [2, 12, 3], 13),
        weight("R", [2, 12, 3], 14),
        weight("B", [2, 24], 15),
        ints("shape", [0, 0, -1]),
      ],
      nodes: [
        node("Transpose", ["x"], ["xt"], { perm: [1, 0, 2] }),
        node("LSTM", ["xt", "W", "R", "B"], ["Y"], { hidden_size: 3, direction: "bidirectional" }),
        node("Transpose", ["Y"], ["Yt"], { perm: [0, 2, 1, 3] }),
        node("Reshape", ["Yt", "shape"], ["Yr"]),
        node("Transpose", ["Yr"], ["y"], { perm: [1, 0, 2] }),
      ],
    },
    layers: ["Bidirectional"],
  },
  {
    name: "LayerNormalization (opset 17) and PyTorch's decomposition before it, GELU by erf, x·sigmoid(x)",
    spec: {
      opset: 13,
      inputs: [{ name: "x", shape: [N, 4, 6] }],
      outputs: [{ name: "y" }],
      initializers: [
        ints("axes", [-1]),
        floats("two", [], [2]),
        floats("eps", [], [1e-5]),
        weight("gamma", [6], 16),
        weight("beta", [6], 17),
        floats("sqrt2", [], [Math.SQRT2]),
        floats("one", [], [1]),
        floats("half", [], [0.5]),
        weight("Wd", [6, 5], 18),
      ],
      nodes: [
        node("ReduceMean", ["x"], ["m"], { axes: [-1] }),
        node("Sub", ["x", "m"], ["d"]),
        node("Pow", ["d", "two"], ["d2"]),
        node("ReduceMean", ["d2"], ["v"], { axes: [-1] }),
        node("Add", ["v", "eps"], ["ve"]),
        node("Sqrt", ["ve"], ["s"]),
        node("Div", ["d", "s"], ["n"]),
        node("Mul", ["n", "gamma"], ["ng"]),
        node("Add", ["ng", "beta"], ["ln"]),
        node("MatMul", ["ln", "Wd"], ["h"]),
        node("Div", ["h", "sqrt2"], ["hs"]),
        node("Erf", ["hs"], ["e"]),
        node("Add", ["e", "one"], ["e1"]),
        node("Mul", ["h", "e1"], ["he"]),
        node("Mul", ["he", "half"], ["g"]),
        node("Sigmoid", ["g"], ["sg"]),
        node("Mul", ["g", "sg"], ["y"]),
      ],
    },
    layers: ["LayerNormalization", "Dense", "Activation"],
  },
  {
    name: "opset-17 LayerNormalization op over the last two axes",
    spec: {
      inputs: [{ name: "x", shape: [N, 3, 4] }],
      outputs: [{ name: "y" }],
      initializers: [weight("s", [3, 4], 19), weight("b", [3, 4], 20)],
      nodes: [node("LayerNormalization", ["x", "s", "b"], ["y"], { axis: -2, epsilon: 1e-3 })],
    },
    layers: ["LayerNormalization"],
  },
  {
    name: "channels-first Conv + Clip(0, 6) + MaxPool(ceil_mode) + Pad + Resize nearest (PyTorch)",
    spec: {
      opset: 13,
      inputs: [{ name: "x", shape: [N, 3, 9, 9] }],
      outputs: [{ name: "y" }],
      initializers: [
        conv("w", 4, 3, 3, 21),
        weight("b", [4], 22),
        floats("lo", [], [0]),
        floats("hi", [], [6]),
        ints("pads", [0, 0, 1, 0, 0, 0, 1, 1]),
        floats("scales", [4], [1, 1, 2, 2]),
      ],
      nodes: [
        node("Conv", ["x", "w", "b"], ["c"], { kernel_shape: [3, 3], pads: [1, 1, 1, 1] }),
        node("Clip", ["c", "lo", "hi"], ["r"]),
        node("MaxPool", ["r"], ["m"], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }),
        node("Pad", ["m", "pads"], ["p"]),
        node("Resize", ["p", "", "scales"], ["y"], {
          mode: "nearest",
          coordinate_transformation_mode: "asymmetric",
          nearest_mode: "floor",
        }),
      ],
    },
    layers: ["Conv2D", "MaxPooling2D", "ZeroPadding2D", "UpSampling2D"],
  },
  {
    name: "depthwise and grouped Conv, ConvTranspose with pads and output_padding, bilinear Resize",
    spec: {
      opset: 13,
      inputs: [{ name: "x", shape: [N, 4, 6, 6] }],
      outputs: [{ name: "y" }],
      initializers: [
        weight("dw", [8, 1, 3, 3], 23),
        weight("gw", [6, 4, 3, 3], 24),
        weight("tw", [6, 2, 3, 3], 25),
        weight("tb", [2], 26),
        floats("scales", [4], [1, 1, 2, 2]),
      ],
      nodes: [
        node("Conv", ["x", "dw"], ["a"], { group: 4, kernel_shape: [3, 3], pads: [1, 1, 1, 1] }),
        node("Conv", ["a", "gw"], ["b"], { group: 2, kernel_shape: [3, 3] }),
        node("ConvTranspose", ["b", "tw", "tb"], ["c"], {
          strides: [2, 2],
          pads: [1, 1, 1, 1],
          output_padding: [1, 1],
        }),
        node("Resize", ["c", "", "scales"], ["y"], { mode: "linear", coordinate_transformation_mode: "half_pixel" }),
      ],
    },
    layers: ["DepthwiseConv2D", "Conv2D", "Conv2DTranspose", "Cropping2D", "UpSampling2D"],
    noTfjs: "tfjs-layers' Conv2D has no groups",
  },
  {
    name: "AveragePool counting pads, GlobalAveragePool → Flatten → Gemm(transB, alpha, beta)",
    spec: {
      opset: 13,
      inputs: [{ name: "x", shape: [N, 3, 8, 8] }],
      outputs: [{ name: "y" }],
      initializers: [weight("W", [5, 3], 27), weight("C", [5], 28)],
      nodes: [
        node("AveragePool", ["x"], ["a"], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], count_include_pad: 1 }),
        node("GlobalAveragePool", ["a"], ["g"]),
        node("Flatten", ["g"], ["f"]),
        node("Gemm", ["f", "W", "C"], ["y"], { transB: 1, alpha: 0.5, beta: 2 }),
      ],
    },
    layers: ["ZeroPadding2D", "AveragePooling2D", "GlobalAveragePooling2D", "Dense"],
  },
  {
    name: "activations: HardSigmoid, LeakyRelu, Elu(0.5), Selu, Softplus, PRelu, Clip(-2, 3), Softmax (opset 11, 3-D)",
    spec: {
      opset: 11,
      inputs: [{ name: "x", shape: [N, 3, 4] }],
      outputs: [{ name: "y" }],
      initializers: [weight("slope", [3, 1], 29), floats("lo", [], [-2]), floats("hi", [], [3])],
      nodes: [
        node("HardSigmoid", ["x"], ["a"]),
        node("LeakyRelu", ["a"], ["b"], { alpha: 0.1 }),
        node("Sub", ["b", "x"], ["b2"]),
        node("Elu", ["b2"], ["c"], { alpha: 0.5 }),
        node("Selu", ["c"], ["d"]),
        node("Softplus", ["d"], ["e"]),
        node("PRelu", ["e", "slope"], ["f"]),
        node("Clip", ["f", "lo", "hi"], ["g"]),
        node("Softmax", ["g"], ["y"], { axis: 1 }),
      ],
    },
    layers: [
      "Rescaling",
      "ReLU",
      "LeakyReLU",
      "Subtract",
      "ELU",
      "Activation",
      "Activation",
      "PReLU",
      "Rescaling",
      "ReLU",
      "Rescaling",
      "Softmax",
    ],
    noTfjs: "tfjs-layers' Softmax takes one axis; this one normalizes over two (opset < 13 semantics)",
  },
  {
    name: "constants: per-channel Mul/Add (BatchNormalization as an affine map), scalar Sub/Div (Rescaling), Neg",
    spec: {
      inputs: [{ name: "x", shape: [N, 3, 4, 4] }],
      outputs: [{ name: "y" }],
      initializers: [
        weight("s", [1, 3, 1, 1], 30),
        weight("o", [3, 1, 1], 31),
        floats("k", [], [0.25]),
        floats("d", [], [4]),
      ],
      nodes: [
        node("Mul", ["x", "s"], ["a"]),
        node("Add", ["o", "a"], ["b"]),
        node("Sub", ["k", "b"], ["c"]),
        node("Div", ["c", "d"], ["e"]),
        node("Neg", ["e"], ["y"]),
      ],
    },
    layers: ["BatchNormalization", "BatchNormalization", "Rescaling", "Rescaling", "Rescaling"],
    noTfjs: "tfjs-layers' BatchNormalization with axis=1 on 4-D inputs broadcasts its parameters on the last axis",
  },
  {
    name: "Concat of branches, Slice → Cropping, MatMul by a constant on the left (EinsumDense), Gather of one step",
    spec: {
      inputs: [{ name: "x", shape: [N, 4, 3] }],
      outputs: [{ name: "y" }, { name: "t" }],
      initializers: [weight("L", [5, 3], 32), ints("st", [1]), ints("en", [4]), ints("ax", [1]), ints("i", [-1], [])],
      nodes: [
        node("Relu", ["x"], ["r"]),
        node("Sigmoid", ["x"], ["s"]),
        node("Concat", ["r", "s"], ["c"], { axis: 2 }),
        node("Slice", ["c", "st", "en", "ax"], ["sl"]),
        node("MatMul", ["L", "sl"], ["y"]),
        node("Gather", ["x", "i"], ["t"], { axis: 1 }),
      ],
    },
    layers: ["Activation", "Activation", "Concatenate", "Cropping1D", "Cropping1D", "EinsumDense", "Flatten"],
    noTfjs: "tfjs-layers has no EinsumDense",
  },
  {
    name: "Embedding (Gather on a constant table by int64 indices, or by float ids cast as tf2onnx writes), Upsample (opset 9)",
    spec: {
      opset: 9,
      inputs: [
        { name: "ids", shape: [N, 5], type: 7 },
        { name: "img", shape: [N, 2, 3, 3] },
        { name: "fids", shape: [N, 2] },
      ],
      outputs: [{ name: "e" }, { name: "u" }, { name: "f" }],
      initializers: [weight("table", [10, 4], 33), floats("scales", [4], [1, 1, 2, 3])],
      nodes: [
        node("Gather", ["table", "ids"], ["e"]),
        node("Upsample", ["img", "scales"], ["u"], { mode: "nearest" }),
        node("Cast", ["fids"], ["fi"], { to: 6 }),
        node("Gather", ["table", "fi"], ["f"]),
      ],
    },
    layers: ["Embedding", "UpSampling2D", "Embedding"],
    maxIndex: 10,
  },
  {
    name: "merges of run-time tensors: Max, Min, Mean, Sum; Clip(0, 2) → ReLU(max_value)",
    spec: {
      inputs: [
        { name: "a", shape: [N, 5] },
        { name: "b", shape: [N, 5] },
      ],
      outputs: [{ name: "y" }],
      initializers: [floats("lo", [], [0]), floats("hi", [], [2])],
      nodes: [
        node("Max", ["a", "b"], ["mx"]),
        node("Min", ["a", "b"], ["mn"]),
        node("Mean", ["a", "b", "mx"], ["me"]),
        node("Sum", ["mx", "mn", "me"], ["s"]),
        node("Clip", ["s", "lo", "hi"], ["y"]),
      ],
    },
    layers: ["Maximum", "Minimum", "Average", "Add", "ReLU"],
  },
  {
    name: "a graph output that is its input passes through an Identity layer",
    spec: {
      inputs: [{ name: "x", shape: [N, 3] }],
      outputs: [{ name: "y" }, { name: "x" }],
      nodes: [node("Dropout", ["x"], ["d"]), node("Relu", ["d"], ["y"])],
    },
    layers: ["Activation", "Identity"],
    noTfjs: "tfjs-layers 4.22 has no Identity layer (its fromConfig fails on it)",
  },
  {
    name: 'layout "channels_last": a PyTorch channels-first region behind one Permute; the flatten order folds into the Dense',
    spec: {
      inputs: [{ name: "x", shape: [N, 3, 6, 6] }],
      outputs: [{ name: "y" }],
      initializers: [
        conv("w", 4, 3, 3, 34),
        weight("bn_s", [4], 35),
        weight("bn_b", [4], 36),
        weight("bn_m", [4], 37, 0.1),
        floats("bn_v", [4], [1, 2, 0.5, 1.5]),
        weight("W", [16, 2], 38),
      ],
      nodes: [
        node("Conv", ["x", "w"], ["c"], { kernel_shape: [3, 3] }),
        node("BatchNormalization", ["c", "bn_s", "bn_b", "bn_m", "bn_v"], ["b"]),
        node("Relu", ["b"], ["r"]),
        node("MaxPool", ["r"], ["m"], { kernel_shape: [2, 2], strides: [2, 2] }),
        node("Flatten", ["m"], ["f"]),
        node("MatMul", ["f", "W"], ["y"]),
      ],
    },
    options: { layout: "channels_last" },
    layers: ["Permute", "Conv2D", "BatchNormalization", "Activation", "MaxPooling2D", "Flatten", "Dense"],
  },
];

const models: OrtModel[] = [];
afterAll(async () => {
  for (const m of models) await m.dispose();
});

describe("ONNX import, op by op, against onnxruntime", () => {
  for (const c of CASES) {
    it(c.name, { timeout: 60_000 }, async () => {
      const bytes = onnxModel(c.spec);
      const { graph } = importOnnxBytes(bytes, c.options ?? {});
      expect(graph.layers.filter((l) => l.className !== "InputLayer").map((l) => l.className)).toEqual(c.layers);
      const decls = declaredInputs(bytes);
      const inputs = makeInputs(decls, { batch: 2, maxIndex: c.maxIndex ?? 3, seed: 3 });
      const want = await ortOutputs(bytes, decls, inputs);
      const ort = new OrtModel(graph);
      models.push(ort);
      const got = await ort.predict(inputs);
      got.forEach((g, i) => expect(mismatch(g, want[i]!), `onnx executor, output ${i}`).toBeNull());
      if (c.noTfjs) {
        // The gap is one tfjs-support reports (or a known tfjs-layers numeric bug, named in noTfjs).
        expect(c.noTfjs).toMatch(/tfjs-layers/);
        return;
      }
      expect(tfjsGaps(graph)).toEqual([]);
      const tfjs = await TfjsModel.fromGraph(graph, { backend: "cpu" });
      const outs = await tfjs.predict(inputs);
      outs.forEach((g, i) => expect(mismatch(g, want[i]!), `TF.js, output ${i}`).toBeNull());
    });
  }
});

describe("ONNX import: ops without a Keras layer", () => {
  const unsupported = (nodes: ModelSpec["nodes"], initializers: ModelSpec["initializers"] = []) =>
    onnxModel({ inputs: [{ name: "x", shape: [N, 4] }], outputs: [{ name: "y" }], nodes, initializers });

  it("raises UnsupportedLayerError naming the op and the node", () => {
    const bytes = unsupported([node("Relu", ["x"], ["r"]), node("Erf", ["r"], ["y"])]);
    expect(() => importOnnxBytes(bytes, { file: "model.onnx" })).toThrow(UnsupportedLayerError);
    expect(() => importOnnxBytes(bytes, { file: "model.onnx" })).toThrow(
      /model\.onnx: Erf node 'Erf_y': ONNX op 'Erf' has no Keras layer equivalent/,
    );
  });

  it("names a tensor constant that no Keras layer can hold", () => {
    const bytes = unsupported([node("Add", ["x", "c"], ["y"])], [weight("c", [2, 4], 1)]);
    expect(() => importOnnxBytes(bytes)).toThrow(/Add node 'Add_y': Add with a constant of shape \[2, 4\]/);
  });

  it("refuses a transpose that moves the batch axis", () => {
    const bytes = onnxModel({
      inputs: [{ name: "x", shape: [N, 4] }],
      outputs: [{ name: "y" }],
      nodes: [node("Transpose", ["x"], ["y"], { perm: [1, 0] })],
    });
    expect(() => importOnnxBytes(bytes)).toThrow(/moves the batch axis \(perm \[1, 0\]\)/);
  });
});
