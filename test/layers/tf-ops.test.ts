/**
 * tf.keras 2's op layers: TFOpLambda / SlicingOpLambda (TF 2.4–2.15) and TensorFlowOpLayer (TF 2.0–2.3).
 * Configs are written the way tf.keras 2 serialized them (keras/layers/core/tf_op_layer.py,
 * keras/engine/node.py `Node.serialize`: the first positional argument as the node's entries, everything
 * else in the entries' kwargs, a single tensor as a bare `[layer, node, tensor, kwargs]` entry because op
 * layers set `_preserve_input_structure_in_config`). Expected shapes follow TensorFlow's shape functions
 * (tensorflow/core/ops/array_ops.cc, math_ops.cc) and dtypes TensorFlow's (no promotion; truediv of int32
 * is float64; argmax int64).
 */
import { describe, expect, it } from "vitest";
import { decodeNode } from "../../src/formats/keras-json/node-refs.js";
import { readKerasJson } from "../../src/formats/keras-json/read.js";
import { writeKerasJson } from "../../src/formats/keras-json/write.js";
import { evaluateLayer } from "../../src/ir/build.js";
import { ShapeError, UnsupportedLayerError } from "../../src/ir/errors.js";
import type { ArgTree, TensorSpec } from "../../src/ir/graph.js";
import { Layer } from "../../src/ir/graph.js";
import "../../src/layers/index.js";
import { defaultRegistry } from "../../src/layers/registry.js";
import { spec } from "./run-kind.js";

const N = null;
type Kw = Record<string, ArgTree<TensorSpec>>;

/** Evaluates `TFOpLambda(function)` called on `first` with `kwargs`. */
function tfop(fn: string, first: ArgTree<TensorSpec>, kwargs: Kw = {}, className = "TFOpLambda"): TensorSpec[] {
  const layer = new Layer(
    className,
    `tf.${fn}`,
    { name: `tf.${fn}`, trainable: true, dtype: "float32", function: fn },
    {},
  );
  return evaluateLayer(layer, [first], kwargs, defaultRegistry.resolver()).outputs;
}

const x3 = spec([N, 10, 16]);
type Bound = number | null | TensorSpec;
const sl = (start: Bound = null, stop: Bound = null, step: Bound = null) => ({
  start,
  stop,
  step,
});
const ellipsis = { class_name: "__ellipsis__" };

type Row = [label: string, fn: string, first: ArgTree<TensorSpec>, kwargs: Kw, out: TensorSpec | TensorSpec[]];

const rows: Row[] = [
  // Broadcasting binary ops (BroadcastBinaryOpShapeFn): None against 1 stays None, against k is k.
  ["x + y (__operators__.add)", "__operators__.add", x3, { y: spec([N, 1, 16]), name: null }, x3],
  [
    "x * 0.5 keeps x's dtype",
    "math.multiply",
    spec([N, 4], "float16"),
    { y: 0.5, name: null },
    spec([N, 4], "float16"),
  ],
  ["1.0 - x: a constant first argument", "math.subtract", 1, { y: x3, name: null }, x3],
  ["x * constant array (normalization stats)", "math.multiply", spec([N, 3]), { y: [[1.5, 2, 3]] }, spec([N, 3])],
  ["int32 / int32 is float64 (truediv)", "math.truediv", spec([N, 2], "int32"), { y: 2 }, spec([N, 2], "float64")],
  ["x > 0 is bool", "math.greater", x3, { y: 0 }, spec([N, 10, 16], "bool")],
  ["x != 0 with `other` dropped by tf.keras", "__operators__.ne", spec([N, 7], "int32"), {}, spec([N, 7], "bool")],
  ["maximum broadcasts (3,1) with (1,4)", "math.maximum", spec([3, 1]), { y: spec([1, 4]) }, spec([3, 4])],
  // Reductions keep the dtype (TF's mean of int32 is int32); axis=None reduces everything.
  ["reduce_mean axis=1", "math.reduce_mean", x3, { axis: 1, keepdims: false }, spec([N, 16])],
  ["reduce_sum axis=[1, 2] keepdims", "math.reduce_sum", x3, { axis: [1, 2], keepdims: true }, spec([N, 1, 1])],
  ["reduce_max axis=None", "math.reduce_max", x3, {}, spec([])],
  ["reduce_mean of int32 stays int32", "math.reduce_mean", spec([N, 5], "int32"), { axis: -1 }, spec([N], "int32")],
  [
    "TF1 keep_dims/reduction_indices",
    "compat.v1.math.reduce_mean",
    x3,
    { reduction_indices: 2, keep_dims: true },
    spec([N, 10, 1]),
  ],
  ["argmax axis=-1 is int64", "math.argmax", x3, { axis: -1 }, spec([N, 10], "int64")],
  ["argmax axis=None is axis 0 in TF", "math.argmax", spec([4, 5]), {}, spec([5], "int64")],
  ["top_k values and int32 indices", "math.top_k", x3, { k: 3 }, [spec([N, 10, 3]), spec([N, 10, 3], "int32")]],
  // A list of tensors where TensorFlow expects one is packed (convert_to_tensor's auto-packing).
  ["reduce_max of a list packs it first", "math.reduce_max", [spec([N, 3]), spec([N, 3])], { axis: 0 }, spec([N, 3])],
  // Activations keep shape and dtype.
  ["nn.relu", "nn.relu", x3, {}, x3],
  ["nn.softmax axis=1", "nn.softmax", x3, { axis: 1 }, x3],
  ["nn.gelu approximate", "nn.gelu", x3, { approximate: true }, x3],
  ["math.sqrt", "math.sqrt", x3, {}, x3],
  // Shape functions.
  [
    "reshape with -1 beside an unknown batch (sizes agree: -1 is the batch)",
    "reshape",
    x3,
    { shape: [-1, 160] },
    spec([N, 160]),
  ],
  ["reshape of a known shape solves -1", "reshape", spec([4, 6]), { shape: [3, -1] }, spec([3, 8])],
  ["reshape to a shape tensor of length 3", "reshape", x3, { shape: spec([3], "int32") }, spec([N, N, N])],
  ["transpose perm", "transpose", x3, { perm: [0, 2, 1] }, spec([N, 16, 10])],
  ["compat.v1.transpose (K.permute_dimensions)", "compat.v1.transpose", x3, { perm: [2, 1, 0] }, spec([16, 10, N])],
  ["transpose perm=None reverses", "transpose", x3, {}, spec([16, 10, N])],
  ["expand_dims axis=1", "expand_dims", x3, { axis: 1 }, spec([N, 1, 10, 16])],
  ["expand_dims axis=-1", "expand_dims", x3, { axis: -1 }, spec([N, 10, 16, 1])],
  ["squeeze axis=-1", "squeeze", spec([N, 5, 1]), { axis: -1 }, spec([N, 5])],
  ["squeeze names an unknown dim: squeezed (TF's shape fn)", "squeeze", spec([N, 5, N]), { axis: [2] }, spec([N, 5])],
  ["concat of two tensors", "concat", [x3, spec([N, 10, 4])], { axis: -1 }, spec([N, 10, 20])],
  ["concat of a list of one", "concat", [x3], { axis: 0 }, x3],
  ["stack axis=1", "stack", [spec([N, 3]), spec([N, 3])], { axis: 1 }, spec([N, 2, 3])],
  ["unstack axis=1", "unstack", spec([N, 2, 3]), { axis: 1 }, [spec([N, 3]), spec([N, 3])]],
  ["split into 2", "split", x3, { num_or_size_splits: 2, axis: -1 }, [spec([N, 10, 8]), spec([N, 10, 8])]],
  [
    "split by sizes with -1",
    "split",
    x3,
    { num_or_size_splits: [4, -1], axis: 2 },
    [spec([N, 10, 4]), spec([N, 10, 12])],
  ],
  ["tile", "tile", spec([N, 2, 3]), { multiples: [1, 2, 3] }, spec([N, 4, 9])],
  [
    "pad",
    "pad",
    spec([N, 4, 4, 3]),
    {
      paddings: [
        [0, 0],
        [1, 1],
        [2, 2],
        [0, 0],
      ],
    },
    spec([N, 6, 8, 3]),
  ],
  ["cast to int32", "cast", x3, { dtype: "int32" }, spec([N, 10, 16], "int32")],
  ["gather axis=1 with constant indices", "gather", x3, { indices: [0, 2, 4], axis: 1 }, spec([N, 3, 16])],
  ["gather axis=0 default", "gather", spec([100, 8]), { indices: spec([N, 5], "int32") }, spec([N, 5, 8])],
  ["one_hot depth=5", "one_hot", spec([N, 7], "int32"), { depth: 5 }, spec([N, 7, 5])],
  ["where(cond, x, y) broadcasts", "where", spec([N, 1], "bool"), { x: spec([N, 4]), y: 0 }, spec([N, 4])],
  ["shape is int32 of the rank", "shape", x3, {}, spec([3], "int32")],
  ["clip_by_value keeps t", "clip_by_value", x3, { clip_value_min: 0, clip_value_max: 6 }, x3],
  ["slice with -1", "slice", spec([N, 10, 16]), { begin: [0, 2, 0], size: [-1, 5, -1] }, spec([N, 5, 16])],
  ["linalg.matmul transpose_b", "linalg.matmul", x3, { b: x3, transpose_b: true }, spec([N, 10, 10])],
  ["matmul batch broadcast", "linalg.matmul", spec([N, 2, 3]), { b: spec([3, 5]) }, spec([N, 2, 5])],
  [
    "image.resize bilinear is float32",
    "image.resize",
    spec([N, 8, 8, 3], "uint8"),
    { size: [16, 12] },
    spec([N, 16, 12, 3]),
  ],
  [
    "image.resize nearest keeps uint8",
    "image.resize",
    spec([N, 8, 8, 3], "uint8"),
    { size: [4, 4], method: "nearest" },
    spec([N, 4, 4, 3], "uint8"),
  ],
  [
    "image.resize preserve_aspect_ratio",
    "image.resize",
    spec([N, 8, 16, 3]),
    { size: [4, 4], preserve_aspect_ratio: true },
    spec([N, 2, 4, 3]),
  ],
  [
    "nn.max_pool2d VALID 2x2",
    "nn.max_pool2d",
    spec([N, 9, 9, 4]),
    { ksize: 2, strides: 2, padding: "VALID" },
    spec([N, 4, 4, 4]),
  ],
  [
    "nn.avg_pool2d SAME, ksize per dim (NHWC)",
    "nn.avg_pool2d",
    spec([N, 9, 9, 4]),
    { ksize: [1, 3, 3, 1], strides: [1, 2, 2, 1], padding: "SAME" },
    spec([N, 5, 5, 4]),
  ],
  [
    "nn.conv2d with a filter tensor",
    "nn.conv2d",
    spec([N, 8, 8, 3]),
    { filters: spec([3, 3, 3, 5]), strides: 1, padding: "SAME" },
    spec([N, 8, 8, 5]),
  ],
  ["nn.depth_to_space", "nn.depth_to_space", spec([N, 4, 4, 8]), { block_size: 2 }, spec([N, 8, 8, 2])],
  [
    "sparse softmax cross-entropy: labels' shape",
    "nn.sparse_softmax_cross_entropy_with_logits",
    spec([N], "int64"),
    { logits: spec([N, 2]) },
    spec([N]),
  ],
  ["nn.moments: mean and variance", "nn.moments", x3, { axes: [1] }, [spec([N, 16]), spec([N, 16])]],
  // Slicing (SlicingOpLambda through the same table).
  ["x[:, 0]", "__operators__.getitem", x3, { slice_spec: [sl(), 0] }, spec([N, 16])],
  [
    "x[..., 1:5, tf.newaxis]",
    "__operators__.getitem",
    x3,
    { slice_spec: [ellipsis, sl(1, 5), null] },
    spec([N, 10, 4, 1]),
  ],
  ["x[1:3] (a lone slice)", "__operators__.getitem", spec([6, 2]), { slice_spec: sl(1, 3) }, spec([2, 2])],
  ["x[:, ::-2]", "__operators__.getitem", x3, { slice_spec: [sl(), sl(N, N, -2)] }, spec([N, 5, 16])],
  [
    "x[:, :t] with a tensor bound: unknown length",
    "__operators__.getitem",
    x3,
    { slice_spec: [sl(), sl(N, spec([], "int32"))] },
    spec([N, N, 16]),
  ],
  [
    "x[:, i] with a scalar tensor index",
    "__operators__.getitem",
    x3,
    { slice_spec: [sl(), spec([], "int32")] },
    spec([N, 16]),
  ],
  ["boolean_mask(x, mask)", "boolean_mask", x3, { mask: spec([N, 10], "bool") }, spec([N, 16])],
];

describe("TFOpLambda functions", () => {
  for (const [label, fn, first, kwargs, out] of rows) {
    it(`${fn}: ${label}`, () => {
      const className = fn === "__operators__.getitem" || fn === "boolean_mask" ? "SlicingOpLambda" : "TFOpLambda";
      expect(tfop(fn, first, kwargs, className)).toEqual(Array.isArray(out) ? out : [out]);
    });
  }

  const errors: [label: string, fn: string, first: ArgTree<TensorSpec>, kwargs: Kw, message: RegExp][] = [
    [
      "float32 + int32 (TF does not promote)",
      "__operators__.add",
      x3,
      { y: spec([N, 10, 16], "int32") },
      /Input 'y' has type int32 that does not match type float32/,
    ],
    ["shapes that do not broadcast", "math.multiply", spec([N, 3]), { y: spec([N, 4]) }, /Cannot broadcast shape/],
    ["reduce axis out of range", "math.reduce_mean", x3, { axis: 3 }, /axis 3 is out of bounds/],
    [
      "reshape to another size",
      "reshape",
      spec([4, 6]),
      { shape: [5, 5] },
      /Cannot reshape a tensor with 24 elements to shape \[5,5\] \(25 elements\)/,
    ],
    ["reshape with two -1", "reshape", x3, { shape: [-1, -1] }, /Only one input size may be -1, not both 0 and 1/],
    [
      "squeeze a dim that is not 1",
      "squeeze",
      x3,
      { axis: 1 },
      /Can not squeeze dim\[1\], expected a dimension of 1, got 10/,
    ],
    ["sqrt of int32", "math.sqrt", spec([N, 2], "int32"), {}, /DataType int32 not in list of allowed values/],
    ["matmul of a vector", "linalg.matmul", spec([3]), { b: spec([3, 2]) }, /rank >= 2/],
    ["x[:, 20] out of bounds", "__operators__.getitem", x3, { slice_spec: [sl(), 20] }, /out-of-bounds index/],
    [
      "concat of mismatched shapes",
      "concat",
      [x3, spec([N, 9, 16])],
      { axis: -1 },
      /same shape except on the `axis` dim/,
    ],
    ["cast without dtype", "cast", x3, {}, /needs a dtype/],
  ];
  for (const [label, fn, first, kwargs, message] of errors) {
    it(`error: ${label}`, () => {
      const run = () => tfop(fn, first, kwargs);
      expect(run).toThrow(ShapeError);
      expect(run).toThrow(message);
      expect(run).toThrow(`TFOpLambda 'tf.${fn}': tf.${fn}:`);
    });
  }

  it("an unknown function is an UnsupportedLayerError naming the function and the layer", () => {
    const run = () => tfop("einsum", x3, {});
    expect(run).toThrow(UnsupportedLayerError);
    expect(run).toThrow(/layer 'tf.einsum' \(TFOpLambda\) applies the TensorFlow function tf.einsum/);
  });

  it("a TFOpLambda without `function` is a FormatError naming the layer", () => {
    const layer = new Layer("TFOpLambda", "tf.op", { name: "tf.op" }, {});
    expect(() => evaluateLayer(layer, [x3], {}, defaultRegistry.resolver())).toThrow(
      /TFOpLambda 'tf.op': config 'function'/,
    );
  });
});

describe("tf.keras 2 node entries of op layers", () => {
  const isLayer = () => true;
  const ref = (layer: string) => ({ ref: true, layer, node: 0, tensor: 0 });

  it("a single tensor is a bare entry; its kwargs hold tensors as triples", () => {
    const node = decodeNode(["dense", 0, 0, { y: ["dense_1", 0, 0], name: null }], "t", isLayer, true);
    expect(node.args).toEqual([ref("dense")]);
    expect(node.kwargs).toEqual({ y: ref("dense_1"), name: null });
  });

  it("a list of one tensor stays a list for op layers, and is unnested for other layers", () => {
    const entry = [["dense", 0, 0, { axis: 0 }]];
    expect(decodeNode(entry, "t", isLayer, true).args).toEqual([[ref("dense")]]);
    expect(decodeNode(entry, "t", isLayer, false).args).toEqual([ref("dense")]);
  });

  it("constants of the first argument (`_CONSTANT_VALUE`) and nested lists", () => {
    const node = decodeNode(["_CONSTANT_VALUE", -1, 1.5, { y: ["d", 0, 0] }], "t", isLayer, true);
    expect(node.args).toEqual([1.5]);
    expect(node.kwargs).toEqual({ y: ref("d") });
    const nested = decodeNode(
      [
        [
          ["a", 0, 0, {}],
          ["_CONSTANT_VALUE", -1, [1, 2], {}],
        ],
        [["b", 0, 0, { axis: 1 }]],
      ],
      "t",
      isLayer,
      true,
    );
    expect(nested.args).toEqual([[[ref("a"), [1, 2]], [ref("b")]]]);
    expect(nested.kwargs).toEqual({ axis: 1 });
  });
});

/** A tf.keras 2.11 functional model as `model.to_json()` wrote it (InputLayer, Dense and op layers). */
function keras2Model(layers: unknown[], inputs: string[], outputs: string[]): string {
  return JSON.stringify({
    class_name: "Functional",
    config: {
      name: "model",
      layers,
      input_layers: inputs.map((n) => [n, 0, 0]),
      output_layers: outputs.map((n) => [n, 0, 0]),
    },
    keras_version: "2.11.0",
    backend: "tensorflow",
  });
}
const input = (name: string, shape: (number | null)[], dtype = "float32") => ({
  class_name: "InputLayer",
  config: { batch_input_shape: shape, dtype, sparse: false, ragged: false, name },
  name,
  inbound_nodes: [],
});
const dense = (name: string, units: number, from: string) => ({
  class_name: "Dense",
  config: { name, trainable: true, dtype: "float32", units, activation: "linear", use_bias: true },
  name,
  inbound_nodes: [[[from, 0, 0, {}]]],
});
const op = (fn: string, name: string, node: unknown, className = "TFOpLambda") => ({
  class_name: className,
  config: { name, trainable: true, dtype: "float32", function: fn },
  name,
  inbound_nodes: [node],
});

describe("a tf.keras 2 functional model with op layers", () => {
  const json = keras2Model(
    [
      input("input_1", [N, 10, 8]),
      input("input_2", [N, 10], "int32"),
      dense("dense", 16, "input_1"),
      dense("dense_1", 16, "input_1"),
      op("math.reduce_mean", "tf.math.reduce_mean", ["dense", 0, 0, { axis: 1, keepdims: false }]),
      op("__operators__.add", "tf.__operators__.add", ["dense", 0, 0, { y: ["dense_1", 0, 0], name: null }]),
      op("math.multiply", "tf.math.multiply", ["tf.__operators__.add", 0, 0, { y: 0.5, name: null }]),
      op("math.subtract", "tf.math.subtract", [
        "_CONSTANT_VALUE",
        -1,
        1.0,
        { y: ["tf.math.multiply", 0, 0], name: null },
      ]),
      op("concat", "tf.concat", [
        ["tf.math.subtract", 0, 0, { axis: -1 }],
        ["dense", 0, 0, { axis: -1 }],
      ]),
      op("reshape", "tf.reshape", ["tf.concat", 0, 0, { shape: [-1, 320] }]),
      op(
        "__operators__.getitem",
        "tf.__operators__.getitem",
        ["tf.concat", 0, 0, { slice_spec: [sl(), 0] }],
        "SlicingOpLambda",
      ),
      op("nn.relu", "tf.nn.relu", ["tf.__operators__.getitem", 0, 0, {}]),
      op("expand_dims", "tf.expand_dims", ["tf.nn.relu", 0, 0, { axis: 1 }]),
      op("compat.v1.transpose", "tf.compat.v1.transpose", ["tf.expand_dims", 0, 0, { perm: [0, 2, 1] }]),
      op("squeeze", "tf.squeeze", ["tf.compat.v1.transpose", 0, 0, { axis: -1 }]),
      op("cast", "tf.cast", ["input_2", 0, 0, { dtype: "float32" }]),
      op("linalg.matmul", "tf.linalg.matmul", ["dense", 0, 0, { b: ["dense_1", 0, 0], transpose_b: true }]),
      op("math.truediv", "tf.math.truediv", ["input_2", 0, 0, { y: 2, name: null }]),
      op("stack", "tf.stack", [["tf.math.reduce_mean", 0, 0, { axis: 1 }]]),
      dense("dense_2", 4, "tf.squeeze"),
    ],
    ["input_1", "input_2"],
    ["dense_2", "tf.reshape", "tf.cast", "tf.linalg.matmul", "tf.math.truediv", "tf.stack"],
  );
  const graph = readKerasJson(json, { file: "model.json" });
  const out = (name: string) => {
    const t = graph.getLayer(name)!.calls[0]!.outputs[0]!;
    return { shape: t.shape, dtype: t.dtype };
  };

  it("computes every op layer's output", () => {
    expect(out("tf.math.reduce_mean")).toEqual(spec([N, 16]));
    expect(out("tf.__operators__.add")).toEqual(spec([N, 10, 16]));
    expect(out("tf.math.subtract")).toEqual(spec([N, 10, 16]));
    expect(out("tf.concat")).toEqual(spec([N, 10, 32]));
    expect(out("tf.reshape")).toEqual(spec([N, 320]));
    expect(out("tf.__operators__.getitem")).toEqual(spec([N, 32]));
    expect(out("tf.expand_dims")).toEqual(spec([N, 1, 32]));
    expect(out("tf.compat.v1.transpose")).toEqual(spec([N, 32, 1]));
    expect(out("tf.squeeze")).toEqual(spec([N, 32]));
    expect(out("tf.cast")).toEqual(spec([N, 10]));
    expect(out("tf.linalg.matmul")).toEqual(spec([N, 10, 10]));
    expect(out("tf.math.truediv")).toEqual(spec([N, 10], "float64"));
    // tf.stack([m], axis=1): the list of one is kept (the entry is nested), so the stack has one row.
    expect(out("tf.stack")).toEqual(spec([N, 1, 16]));
    expect(graph.outputs.map((t) => t.shape)).toEqual([
      [N, 4],
      [N, 320],
      [N, 10],
      [N, 10, 10],
      [N, 10],
      [N, 1, 16],
    ]);
  });

  it("op layers have no weights; the Dense layers count as in Keras", () => {
    for (const layer of graph.layers)
      if (/TFOpLambda|SlicingOpLambda/.test(layer.className)) expect(layer.weights).toEqual([]);
    // dense, dense_1: 8*16+16; dense_2: 32*4+4.
    expect(graph.paramCounts().total).toBe(2 * (8 * 16 + 16) + (32 * 4 + 4));
  });

  it("kwargs tensors wire the graph: the add reads dense_1", () => {
    const call = graph.getLayer("tf.__operators__.add")!.calls[0]!;
    expect(call.inputs.map((t) => t.producer?.layer.name)).toEqual(["dense", "dense_1"]);
  });

  it("writes the op layers' nodes back as tf.keras 2 did (bare entries, kept lists, constants)", () => {
    const written = writeKerasJson(graph, { dialect: "keras2" }) as {
      config: { layers: { name: string; inbound_nodes: unknown }[] };
    };
    const original = JSON.parse(json).config.layers as { name: string; inbound_nodes: unknown }[];
    const nodes = (layers: { name: string; inbound_nodes: unknown }[]) =>
      Object.fromEntries(layers.map((l) => [l.name, l.inbound_nodes]));
    expect(nodes(written.config.layers)).toEqual(nodes(original));
  });

  it("an unknown function fails the read with the file, the layer and the function", () => {
    const bad = keras2Model(
      [input("x", [N, 4]), op("linalg.det", "tf.linalg.det", ["x", 0, 0, {}])],
      ["x"],
      ["tf.linalg.det"],
    );
    const run = () => readKerasJson(bad, { file: "legacy.h5" });
    expect(run).toThrow(UnsupportedLayerError);
    expect(run).toThrow(
      /legacy.h5: layer 'tf.linalg.det' \(TFOpLambda\) applies the TensorFlow function tf.linalg.det/,
    );
  });
});

describe("TensorFlowOpLayer (TF 2.0–2.3)", () => {
  const opLayer = (
    op: string,
    name: string,
    inputs: string[],
    attr: Record<string, unknown>,
    constants: Record<string, unknown>,
    from: string[],
  ) => ({
    class_name: "TensorFlowOpLayer",
    config: { name, trainable: true, dtype: "float32", node_def: { name, op, input: inputs, attr }, constants },
    name: `tf_op_layer_${name}`,
    inbound_nodes: [from.map((f) => [f, 0, 0, {}])],
  });
  const graph = readKerasJson(
    keras2Model(
      [
        input("x", [N, 6, 4]),
        dense("dense", 4, "x"),
        opLayer("AddV2", "add", ["dense/BiasAdd", "x"], { T: { type: "DT_FLOAT" } }, {}, ["dense", "x"]),
        opLayer(
          "Mean",
          "Mean",
          ["add", "Mean/reduction_indices"],
          { T: { type: "DT_FLOAT" }, keep_dims: { b: false } },
          { "1": 1 },
          ["tf_op_layer_add"],
        ),
        // x[:, 0]: begin [0, 0], end [0, 1], strides [1, 1], begin/end mask on dim 0, shrink dim 1.
        opLayer(
          "StridedSlice",
          "strided_slice",
          ["x", "strided_slice/stack", "strided_slice/stack_1", "strided_slice/stack_2"],
          {
            begin_mask: { i: "1" },
            end_mask: { i: "1" },
            shrink_axis_mask: { i: "2" },
            ellipsis_mask: { i: "0" },
            new_axis_mask: { i: "0" },
          },
          { "1": [0, 0], "2": [0, 1], "3": [1, 1] },
          ["x"],
        ),
        opLayer("Cast", "Cast", ["x"], { SrcT: { type: "DT_FLOAT" }, DstT: { type: "DT_INT32" } }, {}, ["x"]),
        opLayer("ConcatV2", "concat", ["x", "dense/BiasAdd", "concat/axis"], { N: { i: "2" } }, { "2": -1 }, [
          "x",
          "dense",
        ]),
      ],
      ["x"],
      ["tf_op_layer_Mean", "tf_op_layer_strided_slice", "tf_op_layer_Cast", "tf_op_layer_concat"],
    ),
  );

  it("translates ops to their functions: AddV2, Mean with a constant axis, StridedSlice masks, Cast, ConcatV2", () => {
    expect(graph.outputs.map((t) => ({ shape: t.shape, dtype: t.dtype }))).toEqual([
      spec([N, 4]),
      spec([N, 4]),
      spec([N, 6, 4], "int32"),
      spec([N, 6, 8]),
    ]);
  });

  it("an unknown op names itself", () => {
    const run = () =>
      readKerasJson(
        keras2Model(
          [input("x", [N, 4]), opLayer("Einsum", "einsum", ["x"], {}, {}, ["x"])],
          ["x"],
          ["tf_op_layer_einsum"],
        ),
      );
    expect(run).toThrow(/layer 'tf_op_layer_einsum' \(TensorFlowOpLayer\) wraps the TensorFlow op Einsum/);
  });
});
