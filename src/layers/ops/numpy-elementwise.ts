import type { DType, TensorSpec } from "../../ir/graph.js";
import type { CallContext, LayerKind } from "../../ir/kind.js";
import { PY_FLOAT, PY_INT, floatResult, resultType } from "./dtypes.js";
import type { Operand } from "./define-op.js";
import {
  arg,
  axisList,
  broadcastShapes,
  canonicalizeAxis,
  defineOp,
  defineOps,
  operand,
  operandAt,
  opt,
  promote,
  tensorAt,
} from "./define-op.js";

/*
 * Elementwise operations of keras/src/ops/numpy.py: binary ones broadcast `x1` with `x2`
 * (`broadcast_shapes`, None unknown) and promote their dtypes (`result_type`, Python scalars weak);
 * unary ones keep the shape. Python operators on symbolic tensors land here: `x + 3` is `Add`,
 * `x / y` `TrueDivide`, `-x` `Negative`, `x > 0` `Greater`, `~m` `LogicalNot`.
 */

/** `getattr(x, "dtype", type(x))` through `standardize_dtype`: a Python int is a strong int32 here. */
const strong = (x: Operand): string => (x.dtype === PY_INT ? "int32" : x.dtype === PY_FLOAT ? "float32" : x.dtype);

function binary(ctx: CallContext, dtype: (x1: Operand, x2: Operand) => DType): TensorSpec {
  const x1 = operandAt(ctx, 0, "x1");
  const x2 = operandAt(ctx, 1, "x2");
  return { shape: broadcastShapes(ctx, x1.shape, x2.shape), dtype: dtype(x1, x2) };
}

/** `bitwise_*(x, y)` name their operands x and y. */
function binaryXY(ctx: CallContext): TensorSpec {
  const x = operandAt(ctx, 0, "x");
  const y = operandAt(ctx, 1, "y");
  return { shape: broadcastShapes(ctx, x.shape, y.shape), dtype: promote(x, y) };
}

const intToFloat = (d: DType): DType =>
  ["int8", "int16", "int32", "uint8", "uint16", "uint32"].includes(d) ? "float32" : d === "int64" ? "float64" : d;

const binaryKinds: LayerKind[] = [
  // result_type(x1, x2)
  ...defineOps(
    { Add: {}, Subtract: {}, Multiply: {}, Maximum: {}, Minimum: {}, Fmax: {}, Fmin: {}, FloorDivide: {}, Power: {} },
    (ctx) => binary(ctx, (a, b) => promote(a, b)),
  ),
  // result_type(x1, x2, float)
  ...defineOps({ Divide: {}, TrueDivide: {}, DivideNoNan: {}, Logaddexp: {}, Logaddexp2: {} }, (ctx) =>
    binary(ctx, (a, b) => promote(a, b, PY_FLOAT)),
  ),
  ...defineOps({ Mod: {}, Fmod: {} }, (ctx) =>
    binary(ctx, (a, b) => {
      const d = promote(a, b);
      return d === "bool" ? "int32" : d;
    }),
  ),
  ...defineOps({ Gcd: {}, Lcm: {} }, (ctx) => binary(ctx, (a, b) => resultType(strong(a), strong(b)))),
  ...defineOps({ Ldexp: {}, Nextafter: {} }, (ctx) =>
    binary(ctx, (a, b) => resultType(strong(a), strong(b), PY_FLOAT)),
  ),
  // getattr(x, "dtype", floatx()): a Python scalar counts as float32.
  defineOp("Arctan2", {}, (ctx) =>
    binary(ctx, (a, b) =>
      resultType(...[a, b].map((x) => (x.dtype.startsWith("py:") ? "float32" : x.dtype)), PY_FLOAT),
    ),
  ),
  ...defineOps({ Hypot: {}, Heaviside: {} }, (ctx) => binary(ctx, (a, b) => intToFloat(promote(a, b)))),
  ...defineOps(
    {
      Equal: {},
      NotEqual: {},
      Greater: {},
      GreaterEqual: {},
      Less: {},
      LessEqual: {},
      LogicalAnd: {},
      LogicalOr: {},
      LogicalXor: {},
      Isclose: { equal_nan: false },
    },
    (ctx) => binary(ctx, () => "bool"),
  ),
  ...defineOps(
    {
      BitwiseAnd: {},
      BitwiseOr: {},
      BitwiseXor: {},
      BitwiseLeftShift: {},
      LeftShift: {},
      BitwiseRightShift: {},
      RightShift: {},
    },
    binaryXY,
  ),
  /** `where(condition, x1=None, x2=None)`: the three broadcast; a missing branch counts as int32. */
  defineOp("Where", {}, (ctx) => {
    const cond = operandAt(ctx, 0, "condition");
    const branch = (i: number, name: string): Operand | null => {
      const v = arg(ctx, i, name);
      return v === undefined || v === null ? null : operand(ctx, v, name);
    };
    const [x1, x2] = [branch(1, "x1"), branch(2, "x2")];
    const shape = broadcastShapes(ctx, broadcastShapes(ctx, cond.shape, x1?.shape ?? []), x2?.shape ?? []);
    return { shape, dtype: resultType(x1?.dtype ?? "int32", x2?.dtype ?? "int32") };
  }),
];

/** A unary op: same shape, dtype by `rule`. */
const unary = (table: Record<string, Record<string, unknown>>, rule: (d: DType, ctx: CallContext) => DType) =>
  defineOps(table, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    return { shape: x.shape, dtype: rule(x.dtype, ctx) };
  });

const same = (d: DType) => d;
const floatxIfInt = (d: DType) => (d.includes("int") || d === "bool" ? "float32" : d);
const toFloat64Rule = (d: DType) =>
  d === "int64" || d === "float64" ? "float64" : d === "bfloat16" || d === "float16" ? d : "float32";

const unaryKinds: LayerKind[] = [
  ...unary(
    {
      Absolute: {},
      Abs: {},
      Conjugate: {},
      Conj: {},
      Copy: {},
      Imag: {},
      Real: {},
      Negative: {},
      Sign: {},
      Round: { decimals: 0 },
      Trunc: {},
      BitwiseInvert: {},
      BitwiseNot: {},
      NanToNum: { nan: 0.0, posinf: null, neginf: null },
      Tril: { k: 0 },
      Triu: { k: 0 },
    },
    same,
  ),
  ...unary(
    {
      Arccos: {},
      Arccosh: {},
      Arcsin: {},
      Arcsinh: {},
      Arctan: {},
      Arctanh: {},
      Cos: {},
      Cosh: {},
      Sin: {},
      Sinh: {},
      Tan: {},
      Tanh: {},
      Sinc: {},
      Angle: {},
      Ceil: {},
      Floor: {},
      Log: {},
      Log10: {},
      Log1p: {},
      Log2: {},
      Sqrt: {},
    },
    floatResult,
  ),
  ...unary({ Exp: {}, Exp2: {}, Expm1: {} }, floatxIfInt),
  ...unary({ Fabs: {} }, (d, ctx) =>
    d.includes("complex") ? ctx.fail(`fabs does not support complex inputs. Received: dtype=${d}`) : floatxIfInt(d),
  ),
  ...unary({ Cbrt: {} }, (d) => (d === "int64" ? "float64" : d === "bool" || d.includes("int") ? "float32" : d)),
  ...unary({ Deg2rad: {}, Rad2deg: {}, I0: {} }, toFloat64Rule),
  ...unary({ Corrcoef: {} }, (d) => (d === "int64" ? "float64" : resultType(d, PY_FLOAT))),
  ...unary({ Square: {}, Clip: {} }, (d) => (d === "bool" ? "int32" : d)),
  ...unary({ Reciprocal: {} }, () => "float32"),
  ...unary(
    { Isfinite: {}, Isinf: {}, Isnan: {}, Isneginf: {}, Isposinf: {}, Isreal: {}, LogicalNot: {}, Signbit: {} },
    () => "bool",
  ),
  ...unary({ Fliplr: {} }, (d, ctx) => {
    const x = tensorAt(ctx, 0, "x");
    if (x.shape.length < 2)
      ctx.fail(`\`fliplr\` requires input with 2 or more dimensions. Received: x.shape=${pyShape(x)}`);
    return d;
  }),
  ...unary({ Flipud: {} }, (d, ctx) => {
    const x = tensorAt(ctx, 0, "x");
    if (x.shape.length < 1)
      ctx.fail(`\`flipud\` requires input with 1 or more dimensions. Received: x.shape=${pyShape(x)}`);
    return d;
  }),
  ...unary({ Flip: { axis: null }, Roll: { axis: null } }, (d, ctx) => {
    const x = tensorAt(ctx, 0, "x");
    for (const a of axisList(ctx, opt(ctx, "axis")) ?? []) canonicalizeAxis(ctx, a, x.shape.length);
    return d;
  }),
];

const pyShape = (x: TensorSpec) =>
  `(${x.shape.map((d) => (d === null ? "None" : d)).join(", ")}${x.shape.length === 1 ? "," : ""})`;

export const numpyElementwiseKinds: LayerKind[] = [...binaryKinds, ...unaryKinds];
