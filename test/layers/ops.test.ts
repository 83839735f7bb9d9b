/**
 * Keras 3 operations recorded in functional configs (`x + 3`, `x[:, 0]`, `keras.ops.mean(x, axis=1)`):
 * module `keras.src.ops.<group>`, constructor arguments in the op's config, operands in the call's args.
 * Expected specs come from each op's `compute_output_spec` in keras/src/ops/{numpy,nn,core,math,image,
 * linalg}.py, `broadcast_shapes`/`reduce_shape` in keras/src/ops/operation_utils.py and `result_type`
 * in keras/src/backend/common/dtypes.py (Python scalars weak; 64-bit narrowed as under torch/jax).
 */
import { describe, expect, it } from "vitest";
import { evaluateLayer } from "../../src/ir/build.js";
import { ShapeError, UnsupportedLayerError } from "../../src/ir/errors.js";
import type { ArgTree, TensorSpec } from "../../src/ir/graph.js";
import { Layer } from "../../src/ir/graph.js";
import { readKerasJson } from "../../src/formats/keras-json/read.js";
import { PY_FLOAT, PY_INT, resultType } from "../../src/layers/ops/dtypes.js";
import { sliceLength } from "../../src/layers/ops/numpy-getitem.js";
import { defaultRegistry } from "../../src/layers/registry.js";
import { recordedCalls, evaluateRecorded } from "./harness.js";
import { runKind, spec } from "./run-kind.js";

const N = null;
type Args = ArgTree<TensorSpec>[];

/** Evaluates `keras.src.ops.<group>.<className>` with `config` on `args` (and `kwargs`). */
function op(
  group: string,
  className: string,
  args: Args,
  config: Record<string, unknown> = {},
  kwargs: Record<string, ArgTree<TensorSpec>> = {},
) {
  const module = `keras.src.ops.${group}`;
  const layer = new Layer(className, "op", { name: "op", ...config }, { registeredName: className, module });
  return evaluateLayer(layer, args, kwargs, defaultRegistry.resolver()).outputs;
}

const slice = (start: number | null = null, stop: number | null = null, step: number | null = null) => ({
  class_name: "__slice__",
  config: { start, stop, step },
});
const ellipsis = { class_name: "__ellipsis__", config: {} };

type Row = [
  label: string,
  group: string,
  className: string,
  args: Args,
  config: Record<string, unknown>,
  out: TensorSpec | TensorSpec[],
];

const rows: Row[] = [
  // broadcast_shapes + result_type(x1, x2): a weak Python int keeps the tensor's dtype
  ["x + 3 (MobileNetV3's hard_sigmoid) keeps x", "numpy", "Add", [spec([N, 1, 1, 16]), 3], {}, spec([N, 1, 1, 16])],
  [
    "x * y broadcasts like NumPy, batch included: (None, 1, 4) * (3, 1)",
    "numpy",
    "Multiply",
    [spec([N, 1, 4]), spec([3, 1])],
    {},
    spec([N, 3, 4]),
  ],
  // broadcast_shapes: None against a known size takes the known size
  ["None broadcasts to a known size", "numpy", "Add", [spec([N]), spec([5])], {}, spec([5])],
  ["None against 1 stays None", "numpy", "Subtract", [spec([N, 1]), spec([1, 5])], {}, spec([N, 5])],
  ["int32 * 0.5 is float32", "numpy", "Multiply", [spec([N, 2], "int32"), 0.5], {}, spec([N, 2])],
  [
    "int8 - uint8 is int16 (lattice)",
    "numpy",
    "Subtract",
    [spec([N, 2], "int8"), spec([N, 2], "uint8")],
    {},
    spec([N, 2], "int16"),
  ],
  ["int32 + 2 stays int32", "numpy", "Add", [spec([N, 2], "int32"), 2], {}, spec([N, 2], "int32")],
  ["uint8 + 3 stays uint8", "numpy", "Add", [spec([N], "uint8"), 3], {}, spec([N], "uint8")],
  [
    "3 - x (__rsub__) puts the scalar first",
    "numpy",
    "Subtract",
    [3, spec([N, 4], "float16")],
    {},
    spec([N, 4], "float16"),
  ],
  ["bfloat16 + float16 is float32", "numpy", "Add", [spec([2], "bfloat16"), spec([2], "float16")], {}, spec([2])],
  // result_type(x1, x2, float)
  ["int32 / int32 is float32", "numpy", "TrueDivide", [spec([N, 3], "int32"), spec([N, 3], "int32")], {}, spec([N, 3])],
  ["float16 / 2 stays float16", "numpy", "Divide", [spec([N, 3], "float16"), 2], {}, spec([N, 3], "float16")],
  ["int32 ** 2.5 is float32", "numpy", "Power", [spec([N], "int32"), 2.5], {}, spec([N])],
  ["bool % bool is int32", "numpy", "Mod", [spec([N], "bool"), spec([N], "bool")], {}, spec([N], "int32")],
  ["x > 0 is bool", "numpy", "Greater", [spec([N, 3]), 0], {}, spec([N, 3], "bool")],
  [
    "a & b (LogicalAnd) is bool",
    "numpy",
    "LogicalAnd",
    [spec([N, 3], "bool"), spec([1, 3], "bool")],
    {},
    spec([N, 3], "bool"),
  ],
  [
    "a numpy constant operand: float64 narrows to float32",
    "numpy",
    "Add",
    [spec([N, 3]), { class_name: "__numpy__", config: { value: [[1, 2, 3]], dtype: "float64" } }],
    {},
    spec([N, 3]),
  ],
  [
    "where(cond, x, 0) broadcasts all three",
    "numpy",
    "Where",
    [spec([N, 3], "bool"), spec([N, 1], "int8"), 0],
    {},
    spec([N, 3], "int8"),
  ],
  // unary rules
  ["sqrt(int32) is float32", "numpy", "Sqrt", [spec([N, 2], "int32")], {}, spec([N, 2])],
  ["sqrt(float16) stays float16", "numpy", "Sqrt", [spec([N, 2], "float16")], {}, spec([N, 2], "float16")],
  ["exp(uint8) is floatx", "numpy", "Exp", [spec([N], "uint8")], {}, spec([N])],
  ["-x keeps int32", "numpy", "Negative", [spec([N], "int32")], {}, spec([N], "int32")],
  ["square(bool) is int32", "numpy", "Square", [spec([N], "bool")], {}, spec([N], "int32")],
  ["reciprocal is KerasTensor(x.shape): float32", "numpy", "Reciprocal", [spec([N], "int32")], {}, spec([N])],
  ["isnan is bool", "numpy", "Isnan", [spec([N, 2])], {}, spec([N, 2], "bool")],
  ["clip(bool) is int32", "numpy", "Clip", [spec([N], "bool")], { x_min: 0, x_max: 1 }, spec([N], "int32")],
  // reduce_shape(shape, axis, keepdims)
  [
    "mean(int32, axis=1) is float32",
    "numpy",
    "Mean",
    [spec([N, 3, 4], "int32")],
    { axis: 1, keepdims: false },
    spec([N, 4]),
  ],
  [
    "mean(axis=[1, 2], keepdims=True)",
    "numpy",
    "Mean",
    [spec([N, 3, 4])],
    { axis: [1, 2], keepdims: true },
    spec([N, 1, 1]),
  ],
  ["mean(axis=None) is a scalar", "numpy", "Mean", [spec([N, 3])], { axis: null, keepdims: false }, spec([])],
  [
    "sum(int8) accumulates in int32",
    "numpy",
    "Sum",
    [spec([N, 3], "int8")],
    { axis: -1, keepdims: false },
    spec([N], "int32"),
  ],
  [
    "max(axis=-1, keepdims=True)",
    "numpy",
    "Max",
    [spec([N, 3, 2])],
    { axis: -1, keepdims: true, initial: null },
    spec([N, 3, 1]),
  ],
  ["argmax is int32", "numpy", "Argmax", [spec([N, 3, 5])], { axis: -1, keepdims: false }, spec([N, 3], "int32")],
  ["any is bool", "numpy", "Any", [spec([N, 3], "bool")], { axis: 1, keepdims: false }, spec([N], "bool")],
  ["std(int32) is floatx", "numpy", "Std", [spec([N, 3], "int32")], { axis: 1, keepdims: false }, spec([N])],
  [
    "average(x, axis=1) reduces and gives a float",
    "numpy",
    "Average",
    [spec([N, 3, 4], "int32")],
    { axis: 1 },
    spec([N, 4]),
  ],
  [
    "cumsum(axis=None) flattens a known shape",
    "numpy",
    "Cumsum",
    [spec([2, 3], "bool")],
    { axis: null, dtype: null },
    spec([6], "int32"),
  ],
  [
    "cumsum(axis=None) of an unknown shape is (None,)",
    "numpy",
    "Cumsum",
    [spec([N, 3])],
    { axis: null, dtype: null },
    spec([N]),
  ],
  [
    "quantile with a list q of 2 prepends 2",
    "numpy",
    "Quantile",
    [spec([N, 3]), [0.25, 0.75]],
    { axis: 1, method: "linear", keepdims: false },
    spec([2, N]),
  ],
  // compute_reshape_output_shape: an unknown input dim leaves -1 unknown
  ["reshape (None, 4, 3) to (-1, 12)", "numpy", "Reshape", [spec([N, 4, 3])], { newshape: [-1, 12] }, spec([N, 12])],
  ["reshape (2, 6) to (3, -1) infers 4", "numpy", "Reshape", [spec([2, 6])], { newshape: [3, -1] }, spec([3, 4])],
  ["transpose(axes=[0, 2, 1])", "numpy", "Transpose", [spec([N, 2, 3])], { axes: [0, 2, 1] }, spec([N, 3, 2])],
  ["transpose(axes=None) reverses", "numpy", "Transpose", [spec([N, 2, 3])], { axes: null }, spec([3, 2, N])],
  ["expand_dims(axis=-1)", "numpy", "ExpandDims", [spec([N, 3])], { axis: -1 }, spec([N, 3, 1])],
  [
    "expand_dims(axis=[0, 2]) against the output rank",
    "numpy",
    "ExpandDims",
    [spec([3])],
    { axis: [0, 2] },
    spec([1, 3, 1]),
  ],
  ["squeeze(axis=None) keeps unknown dims", "numpy", "Squeeze", [spec([N, 1, 3, 1])], { axis: null }, spec([N, 3])],
  ["squeeze(axis=1)", "numpy", "Squeeze", [spec([N, 1, 3])], { axis: 1 }, spec([N, 3])],
  [
    "concatenate defaults to axis 0 and promotes",
    "numpy",
    "Concatenate",
    [[spec([2, 3], "int32"), spec([4, 3])]],
    {},
    spec([6, 3]),
  ],
  ["concatenate(axis=-1)", "numpy", "Concatenate", [[spec([N, 2]), spec([N, 3])]], { axis: -1 }, spec([N, 5])],
  ["stack(axis=1)", "numpy", "Stack", [[spec([N, 3]), spec([N, 3])]], { axis: 1 }, spec([N, 2, 3])],
  [
    "split into 3 sections",
    "numpy",
    "Split",
    [spec([N, 6])],
    { indices_or_sections: 3, axis: 1 },
    [spec([N, 2]), spec([N, 2]), spec([N, 2])],
  ],
  [
    "split at [1, 4]",
    "numpy",
    "Split",
    [spec([N, 6])],
    { indices_or_sections: [1, 4], axis: 1 },
    [spec([N, 1]), spec([N, 3]), spec([N, 2])],
  ],
  ["tile pads repeats with leading 1s", "numpy", "Tile", [spec([N, 3])], { repeats: [2] }, spec([N, 6])],
  ["repeat(2, axis=1)", "numpy", "Repeat", [spec([N, 3])], { repeats: 2, axis: 1 }, spec([N, 6])],
  [
    "pad([[0, 0], [1, 2]])",
    "numpy",
    "Pad",
    [spec([N, 3])],
    {
      pad_width: [
        [0, 0],
        [1, 2],
      ],
      mode: "constant",
    },
    spec([N, 6]),
  ],
  ["take(indices (5,), axis=1)", "numpy", "Take", [spec([N, 4, 3]), spec([5], "int32")], { axis: 1 }, spec([N, 5, 3])],
  ["broadcast_to((2, 3))", "numpy", "BroadcastTo", [spec([3])], { shape: [2, 3] }, spec([2, 3])],
  // compute_matmul_output_shape
  ["x @ w: (None, 3, 4) @ (4, 5)", "numpy", "Matmul", [spec([N, 3, 4]), spec([4, 5])], {}, spec([N, 3, 5])],
  ["(4,) @ (None, 4, 5) drops the 1", "numpy", "Matmul", [spec([4]), spec([N, 4, 5])], {}, spec([N, 5])],
  ["int8 @ int8 is int32", "numpy", "Matmul", [spec([2, 3], "int8"), spec([3, 2], "int8")], {}, spec([2, 2], "int32")],
  ["dot: (None, 3, 4) . (4, 5)", "numpy", "Dot", [spec([N, 3, 4]), spec([4, 5])], {}, spec([N, 3, 5])],
  ["dot: (None, 4) . (4,)", "numpy", "Dot", [spec([N, 4]), spec([4])], {}, spec([N])],
  [
    "einsum bij,bjk->bik",
    "numpy",
    "Einsum",
    [spec([N, 2, 3]), spec([N, 3, 4])],
    { subscripts: "bij,bjk->bik" },
    spec([N, 2, 4]),
  ],
  // no '->': target "...ik"; (None, 2, 1) and (1, 4) broadcast
  [
    "einsum ...ij,jk (implicit output)",
    "numpy",
    "Einsum",
    [spec([N, 2, 3]), spec([3, 4])],
    { subscripts: "...ij,jk" },
    spec([N, 2, 4]),
  ],
  [
    "tensordot(axes=[[2], [0]])",
    "numpy",
    "Tensordot",
    [spec([N, 3, 4]), spec([4, 5])],
    { axes: [[2], [0]] },
    spec([N, 3, 5]),
  ],
  ["tensordot(axes=1)", "numpy", "Tensordot", [spec([N, 3, 4]), spec([4, 5])], { axes: 1 }, spec([N, 3, 5])],
  // GetItem: Keras's serialized keys
  ["x[:, 0]", "numpy", "GetItem", [spec([N, 5, 3]), [slice(), 0]], {}, spec([N, 3])],
  ["x[..., 1:3]", "numpy", "GetItem", [spec([N, 5, 8]), [ellipsis, slice(1, 3)]], {}, spec([N, 5, 2])],
  ["x[:, None]", "numpy", "GetItem", [spec([N, 3]), [slice(), null]], {}, spec([N, 1, 3])],
  ["x[0] on an unknown batch", "numpy", "GetItem", [spec([N, 3], "int32"), 0], {}, spec([3], "int32")],
  [
    "x[:, ::-1], x[:, -2:], x[:, 1:10:3]",
    "numpy",
    "GetItem",
    [spec([N, 4, 5, 10]), [slice(), slice(null, null, -1), slice(-2), slice(1, 10, 3)]],
    {},
    spec([N, 4, 2, 3]),
  ],
  // nn
  ["relu keeps shape and dtype", "nn", "Relu", [spec([N, 3], "float16")], {}, spec([N, 3], "float16")],
  ["softmax(axis=-1)", "nn", "Softmax", [spec([N, 3])], { axis: -1 }, spec([N, 3])],
  ["gelu(approximate=True)", "nn", "Gelu", [spec([N, 3])], { approximate: true }, spec([N, 3])],
  ["glu halves the axis", "nn", "Glu", [spec([N, 6])], { axis: -1 }, spec([N, 3])],
  [
    "one_hot(dtype=None) is float32",
    "nn",
    "OneHot",
    [spec([N], "int32")],
    { num_classes: 10, axis: -1, dtype: null, sparse: false },
    spec([N, 10]),
  ],
  [
    "one_hot(axis=0)",
    "nn",
    "OneHot",
    [spec([N], "int32")],
    { num_classes: 10, axis: 0, dtype: "int32", sparse: false },
    spec([10, N], "int32"),
  ],
  // compute_pooling_output_shape: floor((n - pool) / s) + 1 (valid), floor((n - 1) / s) + 1 (same)
  [
    "max_pool(2)",
    "nn",
    "MaxPool",
    [spec([N, 32, 32, 3])],
    { pool_size: 2, strides: null, padding: "valid", data_format: "channels_last" },
    spec([N, 16, 16, 3]),
  ],
  [
    "max_pool(3, padding=same)",
    "nn",
    "MaxPool",
    [spec([N, 32, 32, 3])],
    { pool_size: 3, strides: 3, padding: "same", data_format: "channels_last" },
    spec([N, 11, 11, 3]),
  ],
  [
    "average_pool channels_first",
    "nn",
    "AveragePool",
    [spec([N, 3, 32, 32])],
    { pool_size: [2, 2], strides: null, padding: "valid", data_format: "channels_first" },
    spec([N, 3, 16, 16]),
  ],
  // compute_conv_output_shape: floor((n - d(k - 1) - 1) / s) + 1
  [
    "conv with a (3, 3, 3, 8) kernel",
    "nn",
    "Conv",
    [spec([N, 32, 32, 3]), spec([3, 3, 3, 8])],
    { strides: 1, padding: "valid", data_format: "channels_last", dilation_rate: 1 },
    spec([N, 30, 30, 8]),
  ],
  [
    "depth_to_space(2)",
    "nn",
    "DepthToSpace",
    [spec([N, 4, 4, 12])],
    { block_size: 2, data_format: "channels_last" },
    spec([N, 8, 8, 3]),
  ],
  [
    "moments gives mean and variance",
    "nn",
    "Moments",
    [spec([N, 4, 4, 3])],
    { axes: [1, 2], keepdims: false, synchronized: false },
    [spec([N, 3]), spec([N, 3])],
  ],
  // core
  ["cast to float16", "core", "Cast", [spec([N, 3], "int32")], { dtype: "float16" }, spec([N, 3], "float16")],
  [
    "unstack(axis=1)",
    "core",
    "Unstack",
    [spec([N, 3, 4])],
    { num: null, axis: 1 },
    [spec([N, 4]), spec([N, 4]), spec([N, 4])],
  ],
  ["slice(shape=[2, -1]) from [0, 1]", "core", "Slice", [spec([4, 4]), [0, 1]], { shape: [2, -1] }, spec([2, 3])],
  ["stop_gradient", "core", "StopGradient", [spec([N, 3])], {}, spec([N, 3])],
  // math
  [
    "top_k(5): values and int32 indices",
    "math",
    "TopK",
    [spec([N, 10])],
    { k: 5, sorted: true },
    [spec([N, 5]), spec([N, 5], "int32")],
  ],
  ["logsumexp(axis=-1)", "math", "Logsumexp", [spec([N, 4])], { axis: -1, keepdims: false }, spec([N])],
  [
    "extract_sequences(4, 2): 1 + (10 - 4) // 2 frames",
    "math",
    "ExtractSequences",
    [spec([N, 10])],
    { sequence_length: 4, sequence_stride: 2 },
    spec([N, 4, 4]),
  ],
  // 1 + (32 + 8 - 8) // 4 = 9 frames of 8 // 2 + 1 = 5 bins
  [
    "stft(8, 4, 8)",
    "math",
    "STFT",
    [spec([N, 32])],
    { sequence_length: 8, sequence_stride: 4, fft_length: 8, window: "hann", center: true },
    [spec([N, 9, 5]), spec([N, 9, 5])],
  ],
  // image
  [
    "resize to 64x64",
    "image",
    "Resize",
    [spec([N, 32, 32, 3])],
    { size: [64, 64], data_format: "channels_last" },
    spec([N, 64, 64, 3]),
  ],
  [
    "resize channels_first",
    "image",
    "Resize",
    [spec([N, 3, 32, 32])],
    { size: [64, 48], data_format: "channels_first" },
    spec([N, 3, 64, 48]),
  ],
  ["rgb_to_grayscale", "image", "RGBToGrayscale", [spec([N, 32, 32, 3])], { data_format: null }, spec([N, 32, 32, 1])],
  [
    "crop_images",
    "image",
    "CropImages",
    [spec([N, 32, 32, 3])],
    { top_cropping: 2, bottom_cropping: 2, left_cropping: 1, right_cropping: 1 },
    spec([N, 28, 30, 3]),
  ],
  [
    "pad_images to a target height",
    "image",
    "PadImages",
    [spec([N, 32, 32, 3])],
    { top_padding: 3, target_height: 40, left_padding: 0, right_padding: 0 },
    spec([N, 40, 32, 3]),
  ],
  // linalg
  ["det", "linalg", "Det", [spec([N, 3, 3])], {}, spec([N])],
  ["matrix_rank is int32", "linalg", "MatrixRank", [spec([N, 3, 4])], { tol: null }, spec([N], "int32")],
  [
    "lstsq: (5, 3) and (5, 2) give (3, 2)",
    "linalg",
    "Lstsq",
    [spec([5, 3]), spec([5, 2])],
    { rcond: null },
    spec([3, 2]),
  ],
  ["lu_factor: lu and pivots", "linalg", "LuFactor", [spec([N, 3, 4])], {}, [spec([N, 3, 4]), spec([N, 3])]],
  // more numpy
  ["moveaxis(0, -1)", "numpy", "Moveaxis", [spec([N, 2, 3])], { source: 0, destination: -1 }, spec([2, 3, N])],
  ["swapaxes(1, 2)", "numpy", "Swapaxes", [spec([N, 2, 3])], { axis1: 1, axis2: 2 }, spec([N, 3, 2])],
  ["hstack", "numpy", "Hstack", [[spec([N, 2]), spec([N, 3])]], {}, spec([N, 5])],
  [
    "array_split(3) of 7: 3, 2, 2",
    "numpy",
    "ArraySplit",
    [spec([N, 7])],
    { indices_or_sections: 3, axis: 1 },
    [spec([N, 3]), spec([N, 2]), spec([N, 2])],
  ],
  // min(cols - offset, min(rows, cols)) for offset > 0
  [
    "diagonal(offset=1, axis1=1, axis2=2)",
    "numpy",
    "Diagonal",
    [spec([N, 4, 5])],
    { offset: 1, axis1: 1, axis2: 2 },
    spec([N, 4]),
  ],
  [
    "trace(int8) accumulates in int32",
    "numpy",
    "Trace",
    [spec([N, 3, 3], "int8")],
    { offset: 0, axis1: 1, axis2: 2 },
    spec([N], "int32"),
  ],
  [
    "histogram(bins=10): counts and edges",
    "numpy",
    "Histogram",
    [spec([N])],
    { bins: 10, range: null },
    [spec([10]), spec([11])],
  ],
  [
    "nonzero: one int32 index vector per axis",
    "numpy",
    "Nonzero",
    [spec([N, 3])],
    {},
    [spec([N], "int32"), spec([N], "int32")],
  ],
  ["ones_like(dtype=int32)", "numpy", "OnesLike", [spec([N, 3])], { dtype: "int32" }, spec([N, 3], "int32")],
  [
    "meshgrid(indexing=xy) swaps the first two sizes",
    "numpy",
    "Meshgrid",
    [spec([3], "int32"), spec([4], "int32")],
    { indexing: "xy" },
    [spec([4, 3], "int32"), spec([4, 3], "int32")],
  ],
  // more nn
  [
    "adaptive_average_pool channels_first",
    "nn",
    "AdaptiveAveragePool",
    [spec([N, 3, 32, 32])],
    { output_size: [4, 4], data_format: "channels_first" },
    spec([N, 3, 4, 4]),
  ],
  // filters = 4 * 2; floor((16 - 1) / 2) + 1 = 8 ("same")
  [
    "depthwise_conv(strides=2, same)",
    "nn",
    "DepthwiseConv",
    [spec([N, 16, 16, 4]), spec([3, 3, 4, 2])],
    { strides: 2, padding: "same", data_format: null, dilation_rate: 1 },
    spec([N, 8, 8, 8]),
  ],
  // kernel (kh, kw, out, in); "same" without output_padding: n * s
  [
    "conv_transpose(strides=2, same)",
    "nn",
    "ConvTranspose",
    [spec([N, 8, 8, 4]), spec([3, 3, 8, 4])],
    { strides: 2, padding: "same", output_padding: null, data_format: null, dilation_rate: 1 },
    spec([N, 16, 16, 8]),
  ],
  // (8 + 2*1 - 1*(3 - 1) - 1) // 1 + 1 = 8 per side: L = 64, C * 9 = 27
  [
    "unfold(3, padding=1)",
    "nn",
    "Unfold",
    [spec([N, 3, 8, 8])],
    { kernel_size: 3, dilation: 1, padding: 1, stride: 1 },
    spec([N, 27, 64]),
  ],
  [
    "fold back to (3, 8, 8)",
    "nn",
    "Fold",
    [spec([N, 27, 64])],
    { output_size: [8, 8], kernel_size: 3, dilation: 1, padding: 1, stride: 1 },
    spec([N, 3, 8, 8]),
  ],
  // more image
  [
    "map_coordinates: the coordinates' grid",
    "image",
    "MapCoordinates",
    [spec([4, 5]), spec([2, 7, 7])],
    { order: 1 },
    spec([7, 7]),
  ],
  ["ssim: one value per image", "image", "SSIM", [spec([N, 32, 32, 3]), spec([N, 32, 32, 3])], {}, spec([N])],
];

describe("keras.ops operations: output specs", () => {
  it.each(rows)("%s", (_label, group, className, args, config, out) => {
    expect(op(group, className, args, config)).toEqual(Array.isArray(out) ? out : [out]);
  });
  it("operations build no weights", () => {
    const layer = new Layer("Add", "add", { name: "add" }, { module: "keras.src.ops.numpy" });
    expect(evaluateLayer(layer, [spec([N, 3]), 3], {}, defaultRegistry.resolver()).weights).toEqual([]);
  });
});

type ErrorRow = [
  label: string,
  group: string,
  className: string,
  args: Args,
  config: Record<string, unknown>,
  message: RegExp,
];
const errorRows: ErrorRow[] = [
  [
    "incompatible NumPy shapes",
    "numpy",
    "Maximum",
    [spec([N, 3]), spec([N, 4])],
    {},
    /Cannot broadcast shape, the failure dim has value 3, which cannot be broadcasted to 4/,
  ],
  [
    "reshape changing the size",
    "numpy",
    "Reshape",
    [spec([2, 6])],
    { newshape: [5, -1] },
    /The total size of the tensor must be unchanged/,
  ],
  [
    "squeeze of an unknown dim",
    "numpy",
    "Squeeze",
    [spec([N, 3])],
    { axis: 0 },
    /Cannot squeeze axis 0, because the dimension is not 1/,
  ],
  [
    "concatenate mismatch",
    "numpy",
    "Concatenate",
    [[spec([N, 2]), spec([N, 3])]],
    { axis: 0 },
    /must have the same shape except on the `axis` dim/,
  ],
  ["matmul inner dims", "numpy", "Matmul", [spec([N, 3, 4]), spec([5, 6])], {}, /Inner dimensions .* must be equal/],
  [
    "mean over an axis out of range",
    "numpy",
    "Mean",
    [spec([N, 3])],
    { axis: 2, keepdims: false },
    /axis 2 is out of bounds for an array with dimension 2/,
  ],
  [
    "x[:, 5] out of range",
    "numpy",
    "GetItem",
    [spec([N, 5]), [slice(), 5]],
    {},
    /out-of-bounds index \(slice\(None, None, None\), 5\)/,
  ],
  ["too many indices", "numpy", "GetItem", [spec([N]), [0, 0]], {}, /has to many indices/],
  ["a tensor key", "numpy", "GetItem", [spec([N, 5]), spec([N], "int32")], {}, /Unsupported key type/],
  [
    "softmax axis out of range",
    "nn",
    "Softmax",
    [spec([N, 3, 4])],
    { axis: 3 },
    /axis 3 is out of bounds for an array with dimension 3/,
  ],
  ["glu on an odd axis", "nn", "Glu", [spec([N, 5])], { axis: -1 }, /axis size must be divisible by 2/],
  [
    "conv with a channel mismatch",
    "nn",
    "Conv",
    [spec([N, 8, 8, 3]), spec([3, 3, 4, 8])],
    { strides: 1, padding: "valid", dilation_rate: 1 },
    /input channels=3, kernel input channels=4/,
  ],
  ["inv of a non-square matrix", "linalg", "Inv", [spec([N, 3, 4])], {}, /Expected a square matrix/],
  [
    "promotion without a path (float8)",
    "numpy",
    "Add",
    [spec([2], "float8_e4m3fn"), spec([2])],
    {},
    /not a valid dtype for Keras type promotion/,
  ],
];

describe("keras.ops operations: errors name the op and what was received", () => {
  it.each(errorRows)("%s", (_label, group, className, args, config, message) => {
    expect(() => op(group, className, args, config)).toThrow(ShapeError);
    expect(() => op(group, className, args, config)).toThrow(message);
    expect(() => op(group, className, args, config)).toThrow(new RegExp(`^${className} 'op': `));
  });
});

describe("keras.ops operations are kept apart from the layers of the same class name", () => {
  it("an unknown operation raises UnsupportedLayerError naming module and class", () => {
    expect(() => op("numpy", "Frobnicate", [spec([N])])).toThrow(UnsupportedLayerError);
    expect(() => op("numpy", "Frobnicate", [spec([N])])).toThrow(
      /the Keras operation keras\.src\.ops\.numpy\.Frobnicate/,
    );
  });
  it("the Add merge layer (no ops module) still wants a list of inputs", () => {
    expect(() => runKind("Add", {}, [spec([N, 3])], {})).not.toThrow();
    const layer = new Layer("Add", "add", { name: "add" }, { registeredName: null });
    expect(() => evaluateLayer(layer, [spec([N, 3]), 3], {}, defaultRegistry.resolver())).toThrow(
      /should be called on a list of inputs/,
    );
  });
  it("op kinds resolve only under their module", () => {
    expect(defaultRegistry.get("Relu")).toBeUndefined();
    expect(defaultRegistry.get("Relu", null, "keras.src.ops.nn")?.className).toBe("Relu");
    expect(defaultRegistry.get("Add", null, "keras.src.ops.numpy")).not.toBe(defaultRegistry.get("Add"));
  });
});

describe("result_type and Python slices", () => {
  // jnp.result_type / keras.backend.result_type
  it.each([
    [["int32", "float32"], "float32"],
    [["int8", "uint8"], "int16"],
    [["uint32", "int32"], "int32"], // int64, narrowed to 32 bits
    [["bool", PY_INT], "int32"],
    [["bool", "bool"], "bool"],
    [["float16", PY_FLOAT], "float16"],
    [["int16", PY_FLOAT], "float32"],
    [[PY_INT, PY_FLOAT], "float32"],
    [["bfloat16", "float16"], "float32"],
    [["int64"], "int32"],
  ])("result_type(%j) = %s", (dtypes, out) => {
    expect(resultType(...dtypes)).toBe(out);
  });
  // len(range(*slice(...).indices(n)))
  it.each([
    [null, null, -2, 5, 3],
    [-1, null, -1, 5, 5],
    [5, 0, -1, 5, 4],
    [10, 2, null, 5, 0],
    [-3, null, null, 5, 3],
    [null, -1, 2, 6, 3],
  ])("slice(%s, %s, %s) over %s has %s elements", (start, stop, step, n, len) => {
    expect(sliceLength({ start, stop, step }, n)).toBe(len);
  });
});

describe("keras.ops operations in real files", () => {
  it("MobileNetV3Small's x + 3 and x * y calls match what Keras recorded", () => {
    const calls = recordedCalls("apps_config/MobileNetV3Small").filter(
      (c) => c.layerEntry.module === "keras.src.ops.numpy",
    );
    expect(calls.length).toBeGreaterThan(0);
    for (const call of calls) {
      const { outputs } = evaluateRecorded(call);
      for (const [i, s] of call.expectedOutputs) expect(outputs[i]?.shape, `${call.layerName}`).toEqual(s.shape);
    }
  });

  it("a functional config with x[:, 0], x * 2.5, mean(axis=1) and concatenate reads with Keras's shapes", () => {
    const kt = (layer: string, shape: (number | null)[], dtype = "float32") => ({
      class_name: "__keras_tensor__",
      config: { shape, dtype, keras_history: [layer, 0, 0] },
    });
    const opEntry = (module: string, className: string, name: string, config: object, args: unknown[]) => ({
      module,
      class_name: className,
      config: { name, ...config },
      registered_name: className,
      name,
      inbound_nodes: [{ args, kwargs: {} }],
    });
    const model = {
      module: "keras.src.models.functional",
      class_name: "Functional",
      config: {
        name: "ops_model",
        trainable: true,
        layers: [
          {
            module: "keras.layers",
            class_name: "InputLayer",
            config: { batch_shape: [null, 5, 3], dtype: "float32", sparse: false, ragged: false, name: "x" },
            registered_name: null,
            name: "x",
            inbound_nodes: [],
          },
          opEntry("keras.src.ops.numpy", "GetItem", "get_item", {}, [kt("x", [null, 5, 3]), [slice(), 0]]),
          opEntry("keras.src.ops.numpy", "Multiply", "multiply", {}, [kt("get_item", [null, 3]), 2.5]),
          opEntry("keras.src.ops.numpy", "Mean", "mean", { axis: 1, keepdims: false }, [kt("x", [null, 5, 3])]),
          opEntry("keras.src.ops.numpy", "Concatenate", "concatenate", { axis: -1 }, [
            [kt("multiply", [null, 3]), kt("mean", [null, 3])],
          ]),
          {
            module: "keras.layers",
            class_name: "Dense",
            config: {
              name: "dense",
              trainable: true,
              dtype: "float32",
              units: 2,
              activation: "linear",
              use_bias: true,
            },
            registered_name: null,
            name: "dense",
            inbound_nodes: [{ args: [kt("concatenate", [null, 6])], kwargs: {} }],
          },
        ],
        input_layers: [["x", 0, 0]],
        output_layers: [["dense", 0, 0]],
      },
      registered_name: "Functional",
    };
    const graph = readKerasJson(JSON.stringify(model));
    expect(graph.layers.filter((l) => !l.isOperation).map((l) => l.name)).toEqual(["x", "dense"]);
    const shapeOf = (name: string) => graph.getLayer(name)!.calls[0]!.outputs[0]!.shape;
    expect(shapeOf("get_item")).toEqual([N, 3]);
    expect(shapeOf("mean")).toEqual([N, 3]);
    expect(shapeOf("concatenate")).toEqual([N, 6]);
    expect(graph.outputs[0]!.shape).toEqual([N, 2]);
    expect(graph.paramCounts().total).toBe(6 * 2 + 2);
  });
});
