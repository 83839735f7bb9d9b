import type { DType, TensorSpec } from "../../ir/graph.js";
import type { Shape } from "../../ir/shape.js";
import { broadcastShapes, canonicalizeAxis, reduceShape } from "../ops/define-op.js";
import { type TfCall, type TfRule, KW_ONLY, tfShape } from "./tf-call.js";

/*
 * tf.math (and the Python operators tf.keras 2 recorded as TFOpLambda layers: `x + y` is
 * `__operators__.add`, `x * y` `math.multiply`, `x - y` `math.subtract`, `x / y` `math.truediv`, `x // y`
 * `math.floordiv`, `x ** y` `math.pow`, `-x` `math.negative`, `x > y` `math.greater`, `x == y`
 * `__operators__.eq`, `x @ y` `linalg.matmul`). Shapes follow the Keras 3 operations (NumPy broadcasting,
 * `reduce_shape`, `compute_matmul_output_shape`), which TensorFlow's shape functions agree with; dtypes
 * follow TensorFlow: no promotion (operands share one dtype), reductions keep it, `truediv` of integers
 * is floating, `argmax` int64.
 */

const FLOAT_TYPES = ["bfloat16", "float16", "float32", "float64", "complex64", "complex128"];

/** Ops registered for floating types only (Sqrt, Exp, Tanh, ...): TensorFlow refuses integer inputs. */
function floatOnly(call: TfCall, x: TensorSpec, name = "x"): void {
  if (!FLOAT_TYPES.includes(x.dtype)) {
    call.fail(
      `Value passed to parameter '${name}' has DataType ${x.dtype} not in list of allowed values: ${FLOAT_TYPES.join(", ")}`,
    );
  }
}

/** `tf.math.truediv`: int8/int16/uint8/uint16 divide in float32, wider integers in float64. */
const TRUEDIV: Record<string, DType> = {
  int8: "float32",
  int16: "float32",
  uint8: "float32",
  uint16: "float32",
  int32: "float64",
  uint32: "float64",
  int64: "float64",
  uint64: "float64",
};

/** A broadcasting binary op `f(x, y)`; `out` maps the common operand dtype to the result's. */
export function binary(names: [string, string] = ["x", "y"], out: (d: DType) => DType = (d) => d): TfRule {
  return (call) => {
    const [x, y] = call.operands([0, names[0]], [1, names[1]]);
    return { shape: broadcastShapes(call.ctx, x!.shape, y!.shape), dtype: out(x!.dtype) };
  };
}

/**
 * `x == y` / `x != y` (`tensor_equals(self, other)`): tf.keras 2 drops `other` when it serializes these
 * layers (the call spec scrubs `self` and so names no second parameter), so a file often holds only `x`;
 * the comparison is then with a scalar, as in practice (`x != 0`).
 */
const equality: TfRule = (call) => {
  const other = call.given(1, "other") ? "other" : "y";
  if (!call.given(1, other)) return { shape: call.tensor(0, "self").shape, dtype: "bool" };
  return binary(["self", other], () => "bool")(call);
};

/** A unary op keeping the shape; `dtype` maps the input's dtype. */
export function unary(options: { float?: boolean; dtype?: (d: DType) => DType } = {}): TfRule {
  return (call) => {
    const x = call.operand(0, "x");
    if (options.float) floatOnly(call, x);
    return { shape: x.shape, dtype: options.dtype ? options.dtype(x.dtype) : x.dtype };
  };
}

/** The `axis` of a reduction (`reduction_indices` in TF 1 signatures); a tensor axis is known only at run time. */
function reductionAxis(call: TfCall): number[] | null | "unknown" {
  return call.given(1, "axis") ? call.ints(1, "axis") : call.ints(KW_ONLY, "reduction_indices");
}

/** `reduce_*(input_tensor, axis=None, keepdims=False)`: `reduce_shape`, the input's dtype (mean of ints stays int). */
function reduce(dtype: (d: DType) => DType = (d) => d, floatInput = false): TfRule {
  return (call) => {
    const x = call.tensor(0, "input_tensor");
    if (floatInput) floatOnly(call, x, "input_tensor");
    const keepdims = call.given(2, "keepdims")
      ? call.bool(2, "keepdims", false)
      : call.bool(KW_ONLY, "keep_dims", false);
    const axis = reductionAxis(call);
    if (axis === "unknown") {
      if (keepdims) return { shape: x.shape.map(() => null), dtype: dtype(x.dtype) };
      return call.fail(
        `the reduction axes are a tensor, so the output rank is unknown until the model runs. Received: input shape ${tfShape(x.shape)}`,
      );
    }
    return { shape: reduceShape(call.ctx, x.shape, axis, keepdims), dtype: dtype(x.dtype) };
  };
}

/** `argmax(input, axis=None, output_type=tf.int64)`: axis None is 0 in TensorFlow. */
const argReduce: TfRule = (call) => {
  const x = call.tensor(0, "input");
  const axis = call.given(1, "axis")
    ? call.int(1, "axis")
    : call.given(KW_ONLY, "dimension")
      ? call.int(KW_ONLY, "dimension")
      : 0;
  const a = canonicalizeAxis(call.ctx, axis, x.shape.length);
  return { shape: x.shape.filter((_, i) => i !== a), dtype: call.dtype(2, "output_type", "int64")! };
};

/** `count_nonzero(input, axis=None, keepdims=None, dtype=tf.int64)`. */
const countNonzero: TfRule = (call) => {
  const x = call.tensor(0, "input");
  const axis = call.ints(1, "axis");
  if (axis === "unknown") return call.fail("the reduction axes are a tensor, so the output rank is unknown.");
  const keepdims = call.opt(2, "keepdims", null) === true;
  return { shape: reduceShape(call.ctx, x.shape, axis, keepdims), dtype: call.dtype(3, "dtype", "int64")! };
};

/** `cumsum(x, axis=0, exclusive=False, reverse=False)`: the axis must exist. */
const scan: TfRule = (call) => {
  const x = call.tensor(0, "x");
  canonicalizeAxis(call.ctx, call.int(1, "axis", 0), x.shape.length);
  return { shape: x.shape, dtype: x.dtype };
};

/** `top_k(input, k=1, sorted=True)`: values and int32 indices with the last axis cut to k. */
const topK: TfRule = (call) => {
  const x = call.tensor(0, "input");
  const k = call.given(1, "k") && !Number.isInteger(call.raw(1, "k")) ? null : call.int(1, "k", 1);
  if (x.shape.length < 1) call.fail(`input must have at least 1 dimension. Received: shape ${tfShape(x.shape)}`);
  const last = x.shape.at(-1)!;
  if (k !== null && last !== null && last < k) call.fail(`input must have at least k=${k} columns. Had ${last}`);
  const shape = [...x.shape.slice(0, -1), k];
  return [
    { shape, dtype: x.dtype },
    { shape, dtype: "int32" },
  ];
};

/**
 * `linalg.matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False, ...,
 * output_type=None)`: rank >= 2 operands (BatchMatMulV2 broadcasts the batch dims), shapes from Keras's
 * Matmul after the transposes.
 */
const matmul: TfRule = (call) => {
  const [a, b] = call.operands([0, "a"], [1, "b"]);
  for (const [x, name] of [
    [a!, "a"],
    [b!, "b"],
  ] as const) {
    if (x.shape.length < 2)
      call.fail(`Shape must be rank >= 2 but is rank ${x.shape.length} for \`${name}\`. Received: ${tfShape(x.shape)}`);
  }
  const swap = (s: Shape): Shape => [...s.slice(0, -2), s.at(-1)!, s.at(-2)!];
  const ta = call.bool(2, "transpose_a", false) || call.bool(4, "adjoint_a", false);
  const tb = call.bool(3, "transpose_b", false) || call.bool(5, "adjoint_b", false);
  const left = { shape: ta ? swap(a!.shape) : a!.shape, dtype: a!.dtype };
  const right = { shape: tb ? swap(b!.shape) : b!.shape, dtype: b!.dtype };
  const out = call.keras1("numpy", "Matmul", [left, right]);
  return { shape: out.shape, dtype: call.dtype(8, "output_type", null) ?? a!.dtype };
};

/** `tensordot(a, b, axes)`: Keras's Tensordot. */
const tensordot: TfRule = (call) => {
  const [a, b] = call.operands([0, "a"], [1, "b"]);
  return { shape: call.keras1("numpy", "Tensordot", [a!, b!], { axes: call.raw(2, "axes") }).shape, dtype: a!.dtype };
};

/** `add_n(inputs)`: same-shaped tensors summed. */
const addN: TfRule = (call) => {
  const xs = call.operandList(0, "inputs");
  let shape = xs[0]!.shape;
  for (const x of xs.slice(1)) {
    if (x.shape.length !== shape.length || x.shape.some((d, i) => d !== null && shape[i] !== null && d !== shape[i])) {
      call.fail(`all inputs must have the same shape. Received: ${xs.map((s) => tfShape(s.shape)).join(", ")}`);
    }
    shape = shape.map((d, i) => d ?? x.shape[i]!);
  }
  return { shape, dtype: xs[0]!.dtype };
};

const bool = () => "bool";
const keep = unary();
const floatKeep = unary({ float: true });

const REDUCTIONS: Record<string, TfRule> = {
  reduce_mean: reduce(),
  reduce_sum: reduce(),
  reduce_max: reduce(),
  reduce_min: reduce(),
  reduce_prod: reduce(),
  reduce_any: reduce(),
  reduce_all: reduce(),
  reduce_logsumexp: reduce((d) => d, true),
  reduce_std: reduce((d) => d, true),
  reduce_variance: reduce((d) => d, true),
  reduce_euclidean_norm: reduce(),
};

export const mathFunctions: Record<string, TfRule> = {
  "__operators__.add": binary(),
  "math.add": binary(),
  "math.subtract": binary(),
  "math.multiply": binary(),
  "math.multiply_no_nan": binary(),
  "math.divide_no_nan": binary(),
  "math.truediv": binary(["x", "y"], (d) => TRUEDIV[d] ?? d),
  "math.divide": binary(["x", "y"], (d) => TRUEDIV[d] ?? d),
  "math.floordiv": binary(),
  "math.floormod": binary(),
  "math.pow": binary(),
  "math.maximum": binary(),
  "math.minimum": binary(),
  "math.squared_difference": binary(),
  "math.xdivy": binary(),
  "math.xlogy": binary(),
  "math.atan2": binary(["y", "x"]),
  "math.equal": binary(["x", "y"], bool),
  "math.not_equal": binary(["x", "y"], bool),
  "math.greater": binary(["x", "y"], bool),
  "math.greater_equal": binary(["x", "y"], bool),
  "math.less": binary(["x", "y"], bool),
  "math.less_equal": binary(["x", "y"], bool),
  "math.logical_and": binary(["x", "y"], bool),
  "math.logical_or": binary(["x", "y"], bool),
  "math.logical_xor": binary(["x", "y"], bool),
  "__operators__.eq": equality,
  "__operators__.ne": equality,
  "math.abs": keep,
  "math.negative": keep,
  "math.sign": keep,
  "math.square": keep,
  "math.reciprocal": keep,
  "math.reciprocal_no_nan": keep,
  "math.floor": keep,
  "math.ceil": keep,
  "math.round": keep,
  "math.rint": keep,
  "math.sqrt": floatKeep,
  "math.rsqrt": floatKeep,
  "math.exp": floatKeep,
  "math.expm1": floatKeep,
  "math.log": floatKeep,
  "math.log1p": floatKeep,
  "math.sin": floatKeep,
  "math.cos": floatKeep,
  "math.tan": floatKeep,
  "math.asin": floatKeep,
  "math.acos": floatKeep,
  "math.atan": floatKeep,
  "math.sinh": floatKeep,
  "math.cosh": floatKeep,
  "math.tanh": floatKeep,
  "math.sigmoid": floatKeep,
  "math.log_sigmoid": floatKeep,
  "math.softplus": floatKeep,
  "math.softsign": floatKeep,
  "math.erf": floatKeep,
  "math.is_nan": unary({ dtype: bool }),
  "math.is_inf": unary({ dtype: bool }),
  "math.is_finite": unary({ dtype: bool }),
  "math.logical_not": unary({ dtype: bool }),
  "math.cumsum": scan,
  "math.cumprod": scan,
  "math.argmax": argReduce,
  "math.argmin": argReduce,
  "math.count_nonzero": countNonzero,
  "math.top_k": topK,
  "math.add_n": addN,
  "linalg.matmul": matmul,
  matmul,
  tensordot,
  "linalg.tensordot": tensordot,
  ...Object.fromEntries(
    Object.entries(REDUCTIONS).flatMap(([name, rule]) => [
      [`math.${name}`, rule],
      [`compat.v1.math.${name}`, rule],
      [`compat.v1.${name}`, rule],
    ]),
  ),
};
