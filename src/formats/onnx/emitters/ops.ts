import { emitActivation, emitGelu, emitRelu } from "../activation.js";
import { attr } from "../builder.js";
import type { EmitContext, Emitter, Val } from "../emitter.js";
import { onnxDataType } from "../model.js";

/*
 * Keras 3 operations recorded in functional models (`x + 3`, `keras.ops.mean(x, axis=1)`), registered as
 * `<module>.<Class>`. Operands are call arguments: tensors, Python scalars, or inline `__numpy__`
 * constants; a constructor argument (axis, keepdims, newshape...) is in the op's config, else a keyword.
 */

const NUMPY = "keras.src.ops.numpy";
const NN = "keras.src.ops.nn";
const CORE = "keras.src.ops.core";

function opt(ctx: EmitContext, key: string): unknown {
  const raw = ctx.config.raw[key];
  if (raw !== undefined) return raw;
  const kw = (ctx.kwargs as Record<string, unknown>)[key];
  return kw !== undefined ? kw : ctx.config.defaults[key];
}

function argAt(ctx: EmitContext, index: number, name: string): unknown {
  return index < ctx.args.length ? ctx.args[index] : (ctx.kwargs as Record<string, unknown>)[name];
}

const isVal = (v: unknown): v is Val =>
  !!v && typeof v === "object" && !Array.isArray(v) && typeof (v as Val).name === "string";

const FLOAT = new Set(["float16", "float32", "float64", "bfloat16"]);
/** Floats compute as float32 in the exported graph (as layers do). */
const computeType = (dtype: string) => (FLOAT.has(dtype) ? "float32" : dtype);

/** An operand as a value of `dtype`: tensors cast when theirs differs, scalars and `__numpy__` as constants. */
function operand(ctx: EmitContext, v: unknown, dtype: string): string {
  const { g } = ctx;
  const type = computeType(dtype);
  const code = onnxDataType(type) ?? 1;
  if (isVal(v)) return computeType(v.dtype) === type ? v.name : g.op("Cast", [v.name], { to: attr.i(code) });
  let values: unknown = v;
  let dims: number[] = [];
  if (v && typeof v === "object" && !Array.isArray(v)) {
    const c = (v as { config?: { value?: unknown } }).config;
    values = c?.value;
    for (let x = values; Array.isArray(x); x = x[0]) dims.push(x.length);
  }
  const flat = (Array.isArray(values) ? values.flat(16) : [values]).map((x) =>
    Number(x === true ? 1 : x === false ? 0 : x),
  );
  if (flat.some((x) => Number.isNaN(x))) return ctx.unsupported(`operand ${JSON.stringify(v)}`);
  if (type === "float32") return g.float32s(flat, dims);
  if (type === "int64") return g.int64s(flat, dims);
  const Ctor = type === "int32" ? Int32Array : type === "bool" ? Uint8Array : null;
  if (!Ctor) return ctx.unsupported(`a constant of dtype ${type}`);
  dims = dims.length ? dims : [];
  return g.initializer("const", code, dims, Ctor.from(flat));
}

const outType = (ctx: EmitContext) => ctx.outputs[0]?.dtype ?? "float32";

/** The dtype two operands meet in: the tensors' (floats win), for comparisons and logic. */
function commonType(ctx: EmitContext, vs: unknown[]): string {
  const types = vs.filter(isVal).map((v) => computeType(v.dtype));
  if (types.includes("float32")) return "float32";
  return types[0] ?? "float32";
}

const binary =
  (opType: string, operandsIn: "out" | "common" = "out", negate = false): Emitter =>
  (ctx) => {
    const a = argAt(ctx, 0, "x1");
    const b = argAt(ctx, 1, "x2");
    const t = operandsIn === "out" ? outType(ctx) : commonType(ctx, [a, b]);
    const y = ctx.g.op(opType, [operand(ctx, a, t), operand(ctx, b, t)]);
    return [negate ? ctx.g.op("Not", [y]) : y];
  };

const unary =
  (body: (ctx: EmitContext, x: string) => string): Emitter =>
  (ctx) => [body(ctx, operand(ctx, argAt(ctx, 0, "x"), outType(ctx)))];
const simple = (opType: string) => unary((ctx, x) => ctx.g.op(opType, [x]));

function axes(ctx: EmitContext, key: string, rank: number): number[] | null {
  const v = opt(ctx, key);
  if (v === null || v === undefined) return null;
  return (Array.isArray(v) ? (v as number[]) : [Number(v)]).map((a) => (a < 0 ? a + rank : a));
}

const reduce =
  (opType: string): Emitter =>
  (ctx) => {
    const x = argAt(ctx, 0, "x");
    const rank = isVal(x) ? x.shape.length : 0;
    const ax = axes(ctx, "axis", rank) ?? Array.from({ length: rank }, (_, i) => i);
    return [ctx.g.reduce(opType, operand(ctx, x, outType(ctx)), ax, opt(ctx, "keepdims") === true)];
  };

const activation =
  (name: string, extra: (ctx: EmitContext) => Record<string, unknown> = () => ({})): Emitter =>
  (ctx) => [
    emitActivation(
      ctx.g,
      { class_name: name, config: extra(ctx) },
      operand(ctx, argAt(ctx, 0, "x"), outType(ctx)),
      ctx.where,
    ),
  ];

const identity: Emitter = (ctx) => [operand(ctx, argAt(ctx, 0, "x"), outType(ctx))];

/** A table of emitters under their operations' module. */
function inModule(module: string, table: Record<string, Emitter>): Record<string, Emitter> {
  return Object.fromEntries(Object.entries(table).map(([k, e]) => [`${module}.${k}`, e]));
}

export const opsEmitters: Record<string, Emitter> = {
  ...inModule(NUMPY, {
    Add: binary("Add"),
    Subtract: binary("Sub"),
    Multiply: binary("Mul"),
    Divide: binary("Div"),
    TrueDivide: binary("Div"),
    Power: binary("Pow"),
    Maximum: binary("Max"),
    Minimum: binary("Min"),
    Equal: binary("Equal", "common"),
    NotEqual: binary("Equal", "common", true),
    Greater: binary("Greater", "common"),
    GreaterEqual: binary("GreaterOrEqual", "common"),
    Less: binary("Less", "common"),
    LessEqual: binary("LessOrEqual", "common"),
    LogicalAnd: binary("And", "common"),
    LogicalOr: binary("Or", "common"),
    LogicalNot: simple("Not"),
    Abs: simple("Abs"),
    Absolute: simple("Abs"),
    Negative: simple("Neg"),
    Exp: simple("Exp"),
    Log: simple("Log"),
    Sqrt: simple("Sqrt"),
    Tanh: simple("Tanh"),
    Sin: simple("Sin"),
    Cos: simple("Cos"),
    Floor: simple("Floor"),
    Ceil: simple("Ceil"),
    Sign: simple("Sign"),
    Reciprocal: simple("Reciprocal"),
    Square: unary((ctx, x) => ctx.g.op("Mul", [x, x])),
    Log1p: unary((ctx, x) => ctx.g.op("Log", [ctx.g.op("Add", [x, ctx.g.float32s([1])])])),
    Expm1: unary((ctx, x) => ctx.g.op("Sub", [ctx.g.op("Exp", [x]), ctx.g.float32s([1])])),
    Copy: identity,
    Mean: reduce("ReduceMean"),
    Sum: reduce("ReduceSum"),
    Max: reduce("ReduceMax"),
    Amax: reduce("ReduceMax"),
    Min: reduce("ReduceMin"),
    Amin: reduce("ReduceMin"),
    Prod: reduce("ReduceProd"),
    Where: (ctx) => {
      const [c, a, b] = [argAt(ctx, 0, "condition"), argAt(ctx, 1, "x1"), argAt(ctx, 2, "x2")];
      return [
        ctx.g.op("Where", [operand(ctx, c, "bool"), operand(ctx, a, outType(ctx)), operand(ctx, b, outType(ctx))]),
      ];
    },
    Clip: (ctx) => {
      const t = outType(ctx);
      const lo = opt(ctx, "x_min") ?? argAt(ctx, 1, "x_min");
      const hi = opt(ctx, "x_max") ?? argAt(ctx, 2, "x_max");
      return [ctx.g.op("Clip", [operand(ctx, argAt(ctx, 0, "x"), t), operand(ctx, lo, t), operand(ctx, hi, t)])];
    },
    Matmul: binary("MatMul"),
    Reshape: (ctx) => {
      const shape = ctx.outputs[0]!.shape.map((d) => (d === null ? -1 : d));
      const unknown = shape.filter((d) => d === -1).length;
      const target = unknown <= 1 ? shape : (opt(ctx, "newshape") as number[]);
      return [ctx.g.reshape(operand(ctx, argAt(ctx, 0, "x"), outType(ctx)), target)];
    },
    Transpose: (ctx) => {
      const x = argAt(ctx, 0, "x") as Val;
      const perm = axes(ctx, "axes", x.shape.length) ?? x.shape.map((_, i) => x.shape.length - 1 - i);
      return [ctx.g.transpose(x.name, perm)];
    },
    ExpandDims: (ctx) => {
      const x = argAt(ctx, 0, "x") as Val;
      return [ctx.g.unsqueeze(x.name, axes(ctx, "axis", x.shape.length + 1) ?? [0])];
    },
    Squeeze: (ctx) => {
      const x = argAt(ctx, 0, "x") as Val;
      const ax = axes(ctx, "axis", x.shape.length) ?? x.shape.flatMap((d, i) => (d === 1 ? [i] : []));
      return [ctx.g.squeeze(x.name, ax)];
    },
    Concatenate: (ctx) => {
      const xs = (argAt(ctx, 0, "xs") as unknown[]).map((v) => operand(ctx, v, outType(ctx)));
      return [ctx.g.op("Concat", xs, { axis: attr.i(Number(opt(ctx, "axis") ?? 0)) })];
    },
    Stack: (ctx) => {
      const xs = argAt(ctx, 0, "x") as Val[];
      const axis = Number(opt(ctx, "axis") ?? 0);
      const a = axis < 0 ? axis + xs[0]!.shape.length + 1 : axis;
      return [
        ctx.g.op(
          "Concat",
          xs.map((v) => ctx.g.unsqueeze(operand(ctx, v, outType(ctx)), [a])),
          { axis: attr.i(a) },
        ),
      ];
    },
  }),
  ...inModule(NN, {
    Relu: unary((ctx, x) => emitRelu(ctx.g, x)),
    Relu6: unary((ctx, x) => emitRelu(ctx.g, x, 0, 6)),
    Sigmoid: activation("sigmoid"),
    Silu: activation("silu"),
    Softplus: activation("softplus"),
    Softsign: activation("softsign"),
    Selu: activation("selu"),
    HardSigmoid: activation("hard_sigmoid"),
    HardSilu: activation("hard_silu"),
    LogSigmoid: activation("log_sigmoid"),
    Elu: activation("elu", (ctx) => ({ alpha: opt(ctx, "alpha") })),
    LeakyRelu: activation("leaky_relu", (ctx) => ({ negative_slope: opt(ctx, "negative_slope") })),
    Gelu: unary((ctx, x) => emitGelu(ctx.g, x, opt(ctx, "approximate") !== false)),
    Softmax: unary((ctx, x) => ctx.g.op("Softmax", [x], { axis: attr.i(Number(opt(ctx, "axis") ?? -1)) })),
    LogSoftmax: unary((ctx, x) => ctx.g.op("LogSoftmax", [x], { axis: attr.i(Number(opt(ctx, "axis") ?? -1)) })),
  }),
  [`${CORE}.Cast`]: (ctx) => [operand(ctx, argAt(ctx, 0, "x"), outType(ctx))],
  [`${CORE}.StopGradient`]: identity,
  [`${CORE}.ConvertToTensor`]: identity,
};
