import { UnsupportedLayerError } from "../../ir/errors.js";
import type { TensorSpec } from "../../ir/graph.js";
import type { CallContext } from "../../ir/kind.js";
import { defineLayer } from "../define.js";
import { TfCall } from "./tf-call.js";
import { TF_FUNCTIONS } from "./tf-functions.js";
import { type KeyElement, sliceShape } from "./tf-slicing.js";

/*
 * TF 2.0–2.3 wrapped a raw TensorFlow op applied to symbolic tensors in a `TensorFlowOpLayer`:
 * `{"node_def": {"name": "Mean", "op": "Mean", "input": ["dense/BiasAdd", "Mean/reduction_indices"],
 * "attr": {"T": {"type": "DT_FLOAT"}, "keep_dims": {"b": false}}}, "constants": {"1": 1}}` (the NodeDef
 * as `json_format.MessageToDict` writes it). The layer is called on the op's tensor inputs; `constants`
 * fills the other input positions (`_make_op` inserts them at their indices). Each op is translated to
 * the TensorFlow function that creates it, whose rule gives the shape.
 */

type Attrs = Record<string, unknown>;

const DTYPES: Record<string, string> = {
  DT_FLOAT: "float32",
  DT_DOUBLE: "float64",
  DT_HALF: "float16",
  DT_BFLOAT16: "bfloat16",
  DT_INT8: "int8",
  DT_INT16: "int16",
  DT_INT32: "int32",
  DT_INT64: "int64",
  DT_UINT8: "uint8",
  DT_UINT16: "uint16",
  DT_UINT32: "uint32",
  DT_UINT64: "uint64",
  DT_BOOL: "bool",
  DT_STRING: "string",
  DT_COMPLEX64: "complex64",
  DT_COMPLEX128: "complex128",
};

/** An AttrValue as MessageToDict writes it: `{"b": true}`, `{"i": "2"}` (int64 as a string), `{"type": "DT_INT32"}`, `{"s": base64}`, `{"list": {"i": [...]}}`. */
function attrValue(v: unknown): unknown {
  if (!v || typeof v !== "object") return undefined;
  const a = v as Record<string, unknown>;
  if ("b" in a) return a.b;
  if ("i" in a) return Number(a.i);
  if ("f" in a) return Number(a.f);
  if ("type" in a) return DTYPES[String(a.type)] ?? String(a.type).replace(/^DT_/, "").toLowerCase();
  if ("s" in a) return typeof a.s === "string" ? atob(a.s) : undefined;
  if ("list" in a) {
    const l = (a.list ?? {}) as Record<string, unknown[]>;
    if (Array.isArray(l.i)) return l.i.map(Number);
    if (Array.isArray(l.f)) return l.f.map(Number);
    if (Array.isArray(l.type)) return l.type.map((t) => DTYPES[String(t)] ?? t);
    return [];
  }
  return undefined;
}

/** A TensorFlow function call that creates the op: `[function, positional arguments, keywords]`. */
type Translation = [fn: string, args: unknown[], kwargs?: Record<string, unknown>];
type Translate = (ins: unknown[], attr: Attrs) => Translation;

const as =
  (fn: string): Translate =>
  (ins) => [fn, ins];
const reduce =
  (fn: string): Translate =>
  (ins, attr) => [fn, ins, { keepdims: attr.keep_dims ?? false }];
const arg =
  (fn: string): Translate =>
  (ins, attr) => [fn, ins, { output_type: attr.output_type ?? "int64" }];
const matmul: Translate = (ins, attr) => [
  "linalg.matmul",
  ins,
  { transpose_a: attr.transpose_a ?? attr.adj_x ?? false, transpose_b: attr.transpose_b ?? attr.adj_y ?? false },
];

const ELEMENTWISE: Record<string, string> = {
  Add: "math.add",
  AddV2: "math.add",
  Sub: "math.subtract",
  Mul: "math.multiply",
  RealDiv: "math.truediv",
  Div: "math.floordiv",
  FloorDiv: "math.floordiv",
  FloorMod: "math.floormod",
  Maximum: "math.maximum",
  Minimum: "math.minimum",
  Pow: "math.pow",
  SquaredDifference: "math.squared_difference",
  DivNoNan: "math.divide_no_nan",
  MulNoNan: "math.multiply_no_nan",
  Atan2: "math.atan2",
  Equal: "math.equal",
  NotEqual: "math.not_equal",
  Greater: "math.greater",
  GreaterEqual: "math.greater_equal",
  Less: "math.less",
  LessEqual: "math.less_equal",
  LogicalAnd: "math.logical_and",
  LogicalOr: "math.logical_or",
  Relu: "nn.relu",
  Relu6: "nn.relu6",
  Elu: "nn.elu",
  Selu: "nn.selu",
  LeakyRelu: "nn.leaky_relu",
  Sigmoid: "math.sigmoid",
  Tanh: "math.tanh",
  Exp: "math.exp",
  Expm1: "math.expm1",
  Log: "math.log",
  Log1p: "math.log1p",
  Sqrt: "math.sqrt",
  Rsqrt: "math.rsqrt",
  Square: "math.square",
  Abs: "math.abs",
  Neg: "math.negative",
  Sign: "math.sign",
  Floor: "math.floor",
  Ceil: "math.ceil",
  Round: "math.round",
  Rint: "math.rint",
  Reciprocal: "math.reciprocal",
  Inv: "math.reciprocal",
  Softplus: "math.softplus",
  Softsign: "math.softsign",
  Erf: "math.erf",
  Sin: "math.sin",
  Cos: "math.cos",
  Tan: "math.tan",
  IsNan: "math.is_nan",
  IsInf: "math.is_inf",
  IsFinite: "math.is_finite",
  LogicalNot: "math.logical_not",
  Identity: "identity",
  StopGradient: "stop_gradient",
  Softmax: "nn.softmax",
  LogSoftmax: "nn.log_softmax",
  ZerosLike: "zeros_like",
  OnesLike: "ones_like",
  Reshape: "reshape",
  Transpose: "transpose",
  ExpandDims: "expand_dims",
  Tile: "tile",
  Pad: "pad",
  PadV2: "pad",
  MirrorPad: "pad",
  Slice: "slice",
  ClipByValue: "clip_by_value",
  Select: "where",
  SelectV2: "where",
  BroadcastTo: "broadcast_to",
  Cumsum: "math.cumsum",
  Cumprod: "math.cumprod",
  TopKV2: "math.top_k",
  SplitV: "split",
  ResizeBilinear: "compat.v1.image.resize_bilinear",
  ResizeNearestNeighbor: "compat.v1.image.resize_nearest_neighbor",
};

const OPS: Record<string, Translate> = {
  ...Object.fromEntries(Object.entries(ELEMENTWISE).map(([op, fn]) => [op, as(fn)])),
  Mean: reduce("math.reduce_mean"),
  Sum: reduce("math.reduce_sum"),
  Max: reduce("math.reduce_max"),
  Min: reduce("math.reduce_min"),
  Prod: reduce("math.reduce_prod"),
  All: reduce("math.reduce_all"),
  Any: reduce("math.reduce_any"),
  ArgMax: arg("math.argmax"),
  ArgMin: arg("math.argmin"),
  MatMul: matmul,
  BatchMatMul: matmul,
  BatchMatMulV2: matmul,
  BatchMatMulV3: matmul,
  Squeeze: ([x], attr) => ["squeeze", [x, attr.squeeze_dims ?? null]],
  ConcatV2: (ins) => ["concat", [ins.slice(0, -1), ins.at(-1)]],
  Concat: (ins) => ["concat", [ins.slice(1), ins[0]]],
  Pack: (ins, attr) => ["stack", [ins, attr.axis ?? 0]],
  Unpack: ([x], attr) => ["unstack", [x, attr.num ?? null, attr.axis ?? 0]],
  Cast: ([x], attr) => ["cast", [x, attr.DstT]],
  Shape: ([x], attr) => ["shape", [x, attr.out_type ?? "int32"]],
  Size: ([x], attr) => ["size", [x, attr.out_type ?? "int32"]],
  Rank: as("rank"),
  GatherV2: ([p, i, axis], attr) => ["gather", [p, i, null, axis, attr.batch_dims ?? 0]],
  OneHot: (ins, attr) => ["one_hot", [...ins, attr.axis ?? -1]],
  BiasAdd: ([v, b], attr) => ["nn.bias_add", [v, b, attr.data_format ?? "NHWC"]],
  AddN: (ins) => ["math.add_n", [ins]],
  Split: ([axis, value], attr) => ["split", [value, attr.num_split, axis]],
};

const bit = (mask: unknown, i: number) => ((Number(mask ?? 0) >> i) & 1) === 1;

/** `StridedSlice(input, begin, end, strides)` with its masks, as the NumPy-style key it was made from. */
function stridedSlice(call: TfCall, ins: unknown[], attr: Attrs): TensorSpec {
  const x = call.tensor(0, "input");
  const [begin, end, strides] = [1, 2, 3].map((i) => ins[i]);
  if (![begin, end, strides].every((v) => Array.isArray(v) && v.every((d) => typeof d === "number"))) {
    return { shape: x.shape.map(() => null), dtype: x.dtype };
  }
  const [b, e, s] = [begin, end, strides] as number[][];
  const key: KeyElement[] = b!.map((start, i): KeyElement => {
    if (bit(attr.ellipsis_mask, i)) return "...";
    if (bit(attr.new_axis_mask, i)) return null;
    if (bit(attr.shrink_axis_mask, i)) return start;
    return { start: bit(attr.begin_mask, i) ? null : start, stop: bit(attr.end_mask, i) ? null : e![i], step: s![i] };
  });
  return sliceShape(call, x, key);
}

function evaluateOpLayer(ctx: CallContext): TensorSpec[] {
  const nodeDef = ctx.config.get("node_def") as
    { op?: unknown; input?: unknown; attr?: Record<string, unknown> } | undefined;
  const op = typeof nodeDef?.op === "string" ? nodeDef.op : ctx.fail("needs a node_def with an op.");
  const constants = (ctx.config.get("constants") ?? {}) as Record<string, unknown>;
  const declared = Array.isArray(nodeDef!.input) ? nodeDef!.input.filter((n) => !String(n).startsWith("^")).length : 0;
  const count = Math.max(declared, ctx.inputs.length + Object.keys(constants).length);
  const tensors = [...ctx.inputs];
  const ins = Array.from({ length: count }, (_, i) =>
    String(i) in constants ? constants[String(i)] : tensors.shift(),
  );
  if (tensors.length || ins.some((v) => v === undefined)) {
    ctx.fail(
      `op ${op} has ${count} inputs, ${Object.keys(constants).length} of them constants, but was called on ${ctx.inputs.length} tensors.`,
    );
  }
  const attr = Object.fromEntries(Object.entries(nodeDef!.attr ?? {}).map(([k, v]) => [k, attrValue(v)]));
  if (op === "StridedSlice") return [stridedSlice(new TfCall(ctx, op, ins, {}), ins, attr)];
  const translate = OPS[op];
  if (!translate) {
    throw new UnsupportedLayerError(
      ctx.layer.className,
      `layer '${ctx.layer.name}' (TensorFlowOpLayer) wraps the TensorFlow op ${op}, which kerasgraph has no shape rule for ` +
        `(it knows ${Object.keys(OPS).length + 1} ops). Replace the layer with a Keras layer, or register a custom kind for 'TensorFlowOpLayer'.`,
    );
  }
  const [fn, args, kwargs = {}] = translate(ins, attr);
  const out = TF_FUNCTIONS[fn]!(new TfCall(ctx, `${fn} (op ${op})`, args, kwargs));
  return Array.isArray(out) ? out : [out];
}

/**
 * `TensorFlowOpLayer(node_def, name, constants=None)` (TF 2.0–2.3, keras/engine/base_layer.py): a raw
 * TensorFlow op on symbolic tensors; the layer's name is the config's with "tf_op_layer_" in front.
 */
export const TensorFlowOpLayer = defineLayer({
  className: "TensorFlowOpLayer",
  defaults: { constants: null },
  outputs: evaluateOpLayer,
});
