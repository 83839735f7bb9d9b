import { attr } from "../builder.js";
import type { EmitContext, Emitter } from "../emitter.js";

const names = (ctx: EmitContext) => ctx.inputs.map((v) => v.name);

/** Keras's pairwise merge: `out = op(out, x_i)` for each further input (broadcasting). */
const pairwise =
  (opType: string): Emitter =>
  (ctx) => {
    const [first, ...rest] = names(ctx);
    return [rest.reduce((acc, x) => ctx.g.op(opType, [acc, x]), first!)];
  };

/** `Average`: the sum divided by the number of inputs. */
const average: Emitter = (ctx) => {
  const xs = names(ctx);
  if (xs.length === 1) return [xs[0]!];
  const sum = xs.slice(1).reduce((acc, x) => ctx.g.op("Add", [acc, x]), xs[0]!);
  return [ctx.g.op("Div", [sum, ctx.g.float32s([xs.length])])];
};

/** `Concatenate(axis=-1)`; `keras.ops.concatenate` (same class name, module keras.src.ops) defaults to axis 0. */
const concatenate: Emitter = (ctx) => {
  const isOp = String(ctx.layer.meta.module ?? "").includes("ops");
  const axis = Number(ctx.config.raw.axis ?? (isOp ? 0 : -1));
  return [ctx.g.op("Concat", names(ctx), { axis: attr.i(axis) })];
};

/** `keras.ops.nn.normalize(x, axis)` as Dot uses it: `x * rsqrt(max(sum(x²), epsilon²))`, epsilon 1e-7. */
function l2Normalize(ctx: EmitContext, x: string, axis: number): string {
  const { g } = ctx;
  const sum = g.reduce("ReduceSum", g.op("Mul", [x, x]), [axis], true);
  return g.op("Mul", [x, g.op("Reciprocal", [g.op("Sqrt", [g.op("Max", [sum, g.float32s([1e-14])])])])]);
}

/**
 * `Dot(axes, normalize=False)`: Keras's `batch_dot` as one Einsum — the batch axis shared, the two
 * axes contracted; a result with only the batch axis left gets a trailing 1.
 */
const dot: Emitter = (ctx) => {
  const [x, y] = ctx.inputs;
  if (!x || !y) return ctx.unsupported("Dot needs two inputs");
  const r1 = x.shape.length;
  const r2 = y.shape.length;
  const given = ctx.config.get("axes");
  const mod = (a: number, n: number) => ((a % n) + n) % n;
  const axes: [number, number] =
    typeof given === "number"
      ? given < 0
        ? [mod(given, r1), mod(given, r2)]
        : [given, given]
      : [mod((given as number[])[0]!, r1), mod((given as number[])[1]!, r2)];
  let a = x.name;
  let b = y.name;
  if (ctx.config.get("normalize") === true) {
    a = l2Normalize(ctx, a, axes[0]);
    b = l2Normalize(ctx, b, axes[1]);
  }
  const letters = "cdefghijklmnopqrstuvwxyz";
  let next = 0;
  const xs = Array.from({ length: r1 }, (_, i) => (i === 0 ? "b" : i === axes[0] ? "a" : letters[next++]!));
  const ys = Array.from({ length: r2 }, (_, i) => (i === 0 ? "b" : i === axes[1] ? "a" : letters[next++]!));
  const out = ["b", ...xs.filter((l) => l !== "b" && l !== "a"), ...ys.filter((l) => l !== "b" && l !== "a")];
  const z = ctx.g.op("Einsum", [a, b], { equation: attr.s(`${xs.join("")},${ys.join("")}->${out.join("")}`) });
  return [out.length === 1 ? ctx.g.unsqueeze(z, [1]) : z];
};

export const mergingEmitters: Record<string, Emitter> = {
  Add: pairwise("Add"),
  Subtract: pairwise("Sub"),
  Multiply: pairwise("Mul"),
  Maximum: pairwise("Max"),
  Minimum: pairwise("Min"),
  Average: average,
  Concatenate: concatenate,
  Dot: dot,
};
