import type { ArgTree, DType, TensorSpec } from "../../ir/graph.js";
import type { CallContext, LayerKind } from "../../ir/kind.js";
import type { Dim, Shape } from "../../ir/shape.js";
import { PY_FLOAT, PY_INT, PromotionError, resultType } from "./dtypes.js";

/*
 * Keras 3 records `x + 3`, `x[:, 0]`, `keras.ops.mean(x, axis=1)`... on symbolic tensors as operations:
 * `{"module": "keras.src.ops.numpy", "class_name": "Add", "config": {"name": "add"}, "inbound_nodes":
 * [{"args": [<tensor>, 3], "kwargs": {}}]}`. The op's `config` holds its constructor arguments (Operation's
 * auto-config: every `__init__` argument with its default, e.g. Mean's `axis`, `keepdims`), the call's
 * args/kwargs hold the operands (tensors, Python scalars, slices). Output specs follow each op's
 * `compute_output_spec`; dtypes follow the operands, never a layer's dtype policy.
 */

/** A TensorSpec, or a Python scalar operand (shape `()`, weak dtype `PY_INT`/`PY_FLOAT`, or "bool"). */
export type Operand = TensorSpec;

export const isSpec = (v: unknown): v is TensorSpec =>
  !!v && typeof v === "object" && !Array.isArray(v) && Array.isArray((v as TensorSpec).shape) && "dtype" in v;

type OpOutput = TensorSpec | TensorSpec[];

/**
 * Declares an operation kind: `defaults` are its `__init__` defaults (the config keys Keras writes),
 * `outputs` its `compute_output_spec`. Operations carry no base Layer defaults (`trainable`, `dtype`):
 * an op's `dtype` argument is its own (Cast, OneHot, ...).
 */
export function defineOp(
  className: string,
  defaults: Record<string, unknown>,
  outputs: (ctx: CallContext) => OpOutput,
): LayerKind {
  return {
    className,
    defaults,
    outputs(ctx) {
      try {
        const out = outputs(ctx);
        return Array.isArray(out) ? out : [out];
      } catch (e) {
        if (e instanceof PromotionError) ctx.fail(e.message);
        throw e;
      }
    },
  };
}

/** Several ops sharing one rule: `defineOps({Relu: {}, Elu: {alpha: 1}}, rule)`. */
export function defineOps(
  table: Record<string, Record<string, unknown>>,
  rule: (ctx: CallContext) => OpOutput,
): LayerKind[] {
  return Object.entries(table).map(([name, defaults]) => defineOp(name, defaults, rule));
}

/**
 * A constructor argument: the config's value, else (for files where Keras passed it to the call) the
 * call's keyword, else the `__init__` default.
 */
export function opt(ctx: CallContext, key: string): unknown {
  const raw = ctx.config.raw[key];
  if (raw !== undefined) return raw;
  const kw = ctx.kwargs[key];
  if (kw !== undefined) return kw;
  return ctx.config.defaults[key];
}

/** A call argument: the `index`-th positional one or the keyword `name`; undefined when absent. */
export function arg(ctx: CallContext, index: number, name: string): ArgTree<TensorSpec> | undefined {
  return index < ctx.args.length ? ctx.args[index] : ctx.kwargs[name];
}

/** `__numpy__` / `__tensor__` constants Keras serializes inline: their shape from the nested value. */
function constantOperand(v: unknown): Operand | null {
  if (!v || typeof v !== "object" || Array.isArray(v)) return null;
  const o = v as { class_name?: unknown; config?: { value?: unknown; dtype?: unknown } };
  if ((o.class_name !== "__numpy__" && o.class_name !== "__tensor__") || !o.config) return null;
  const shape: Shape = [];
  for (let x = o.config.value; Array.isArray(x); x = x[0]) shape.push(x.length);
  return { shape, dtype: typeof o.config.dtype === "string" ? o.config.dtype : "float32" };
}

/** An operand as `compute_output_spec` sees it: `getattr(x, "shape", [])`, `getattr(x, "dtype", type(x))`. */
export function operand(ctx: CallContext, v: unknown, what = "x"): Operand {
  if (isSpec(v)) return v;
  if (typeof v === "number") return { shape: [], dtype: Number.isInteger(v) ? PY_INT : PY_FLOAT };
  if (typeof v === "boolean") return { shape: [], dtype: "bool" };
  const c = constantOperand(v);
  if (c) return c;
  return ctx.fail(`expects a tensor or a number for \`${what}\`. Received: ${what}=${JSON.stringify(v)}`);
}

/** The `index`-th operand (positional, else keyword `name`), which must be present. */
export function operandAt(ctx: CallContext, index: number, name: string): Operand {
  const v = arg(ctx, index, name);
  if (v === undefined) ctx.fail(`is missing its argument \`${name}\`.`);
  return operand(ctx, v, name);
}

/** The `index`-th argument as a tensor (symbolic tensors only, where Keras reads `x.shape`). */
export function tensorAt(ctx: CallContext, index: number, name: string): TensorSpec {
  const v = arg(ctx, index, name);
  if (isSpec(v)) return v;
  const c = constantOperand(v);
  if (c) return c;
  return ctx.fail(`expects a tensor for \`${name}\`. Received: ${name}=${JSON.stringify(v ?? null)}`);
}

/** A list of tensors (`concatenate(xs)`, `stack(x)`): the argument must be a list of tensors. */
export function tensorListAt(ctx: CallContext, index: number, name: string): TensorSpec[] {
  const v = arg(ctx, index, name);
  if (!Array.isArray(v) || v.length === 0) {
    return ctx.fail(
      `expects a non-empty list of tensors for \`${name}\`. Received: ${name}=${JSON.stringify(v ?? null)}`,
    );
  }
  return v.map((x) => operand(ctx, x, name));
}

/** The dtype of an operand for result_type (Python scalars stay weak). */
export const dtypeOf = (x: Operand): string => x.dtype;

/** Python's repr of a list of dims: `[None, 3]`. */
export function pyList(shape: readonly Dim[]): string {
  return `[${shape.map((d) => (d === null ? "None" : String(d))).join(", ")}]`;
}

/** Python's repr of a shape tuple: `(None, 3)`, `(5,)`. */
export function pyTuple(shape: readonly Dim[]): string {
  const parts = shape.map((d) => (d === null ? "None" : String(d)));
  return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(", ")})`;
}

/** Python's repr of a config value (`None`, `True`, `[1, 2]`). */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "string") return `'${v}'`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  return String(v);
}

/** `canonicalize_axis`: an axis in [-ndim, ndim) made non-negative. */
export function canonicalizeAxis(ctx: CallContext, axis: unknown, ndim: number): number {
  if (typeof axis !== "number" || !Number.isInteger(axis)) {
    return ctx.fail(`expects an integer axis. Received: axis=${pyRepr(axis)}`);
  }
  if (axis < -ndim || axis >= ndim) ctx.fail(`axis ${axis} is out of bounds for an array with dimension ${ndim}.`);
  return axis < 0 ? axis + ndim : axis;
}

/** An int or a list of ints (`to_tuple_or_list`); null stays null. */
export function axisList(ctx: CallContext, v: unknown, key = "axis"): number[] | null {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" && Number.isInteger(v)) return [v];
  if (Array.isArray(v) && v.every((a) => typeof a === "number" && Number.isInteger(a))) return v as number[];
  return ctx.fail(`expects \`${key}\` to be an integer or a list of integers. Received: ${key}=${pyRepr(v)}`);
}

/** `operation_utils.broadcast_shapes`: NumPy broadcasting in which None is unknown. */
export function broadcastShapes(ctx: CallContext, shape1: readonly Dim[], shape2: readonly Dim[]): Shape {
  const n = Math.max(shape1.length, shape2.length);
  const s1: Dim[] = [...Array<Dim>(n - shape1.length).fill(1), ...shape1];
  const s2: Dim[] = [...Array<Dim>(n - shape2.length).fill(1), ...shape2];
  return s1.map((a, i) => {
    const b = s2[i]!;
    if (a === 1) return b;
    if (a === null) return b === 1 ? null : b;
    if (b === 1 || b === null || b === a) return a;
    return ctx.fail(
      `Cannot broadcast shape, the failure dim has value ${a}, which cannot be broadcasted to ${b}. ` +
        `Input shapes are: ${pyList(shape1)} and ${pyList(shape2)}.`,
    );
  });
}

/** `operation_utils.reduce_shape`: drops (or, with keepdims, sets to 1) the reduced axes; all when None. */
export function reduceShape(ctx: CallContext, shape: Shape, axis: unknown, keepdims: boolean): Shape {
  const axes = axisList(ctx, axis);
  if (axes === null) return keepdims ? shape.map(() => 1) : [];
  const canon = axes.map((a) => canonicalizeAxis(ctx, a, shape.length));
  if (keepdims) return shape.map((d, i) => (canon.includes(i) ? 1 : d));
  return shape.filter((_, i) => !canon.includes(i));
}

/** `shape_equal(s1, s2, axis, allow_none=True)`: same rank, equal outside `axes`, None matches anything. */
export function shapeEqual(s1: Shape, s2: Shape, axes: number[] = []): boolean {
  if (s1.length !== s2.length) return false;
  const ignore = axes.map((a) => (a < 0 ? a + s1.length : a));
  return s1.every((d, i) => ignore.includes(i) || d === null || s2[i] === null || d === s2[i]);
}

/** A boolean constructor argument. */
export function boolOpt(ctx: CallContext, key: string): boolean {
  const v = opt(ctx, key);
  if (typeof v !== "boolean") return ctx.fail(`expects \`${key}\` to be True or False. Received: ${key}=${pyRepr(v)}`);
  return v;
}

/** An integer constructor argument (null allowed when `nullable`). */
export function intOpt(ctx: CallContext, key: string): number;
export function intOpt(ctx: CallContext, key: string, nullable: true): number | null;
export function intOpt(ctx: CallContext, key: string, nullable = false): number | null {
  const v = opt(ctx, key);
  if ((v === null || v === undefined) && nullable) return null;
  if (typeof v !== "number" || !Number.isInteger(v)) {
    return ctx.fail(`expects \`${key}\` to be an integer. Received: ${key}=${pyRepr(v)}`);
  }
  return v;
}

/** A dtype constructor argument (`dtype=None` -> `fallback`). */
export function dtypeOpt(ctx: CallContext, fallback: DType, key = "dtype"): DType {
  const v = opt(ctx, key);
  if (v === null || v === undefined) return fallback;
  if (typeof v === "string") return v;
  // A serialized DTypePolicy (`{"class_name": "DTypePolicy", "config": {"name": "float32"}}`).
  const name = (v as { config?: { name?: unknown } }).config?.name;
  if (typeof name === "string") return name;
  return ctx.fail(`expects \`${key}\` to be a dtype name. Received: ${key}=${JSON.stringify(v)}`);
}

/** `result_type` over operands. */
export const promote = (...xs: (Operand | string)[]): DType =>
  resultType(...xs.map((x) => (typeof x === "string" ? x : x.dtype)));

/** `math.prod(shape)`, or null when a dim is unknown. */
export function prodOrNull(shape: readonly Dim[]): Dim {
  let n = 1;
  for (const d of shape) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}
