import type { TensorSpec } from "../../ir/graph.js";
import type { CallContext, LayerKind } from "../../ir/kind.js";
import type { Dim, Shape } from "../../ir/shape.js";
import {
  canonicalizeAxis,
  defineOp,
  opt,
  prodOrNull,
  promote,
  pyTuple,
  shapeEqual,
  tensorAt,
  tensorListAt,
} from "./define-op.js";

/*
 * Joining and splitting operations of keras/src/ops/numpy.py: `concatenate(xs, axis=0)` and friends
 * take a list of tensors (dtypes promoted), `split` and friends return a list.
 */

const sameExcept = (ctx: CallContext, shapes: Shape[], axis: number) => {
  for (const s of shapes) {
    if (!shapeEqual(s, shapes[0]!, [axis])) {
      ctx.fail(
        "Every value in `xs` must have the same shape except on the `axis` dim. But found element of shape " +
          `${pyTuple(s)}, which is different from the first element's shape ${pyTuple(shapes[0]!)}.`,
      );
    }
  }
};

/** Joins `shapes` (already aligned) along `axis`: sizes add up, unknown as soon as one is. */
function join(ctx: CallContext, xs: TensorSpec[], shapes: Shape[], axis: number): TensorSpec {
  sameExcept(ctx, shapes, axis);
  let total: Dim = 0;
  for (const s of shapes) total = total === null || s[axis] === null || s[axis] === undefined ? null : total + s[axis]!;
  const shape = [...shapes[0]!];
  shape[axis] = total;
  return { shape, dtype: promote(...xs) };
}

const Concatenate = defineOp("Concatenate", { axis: 0 }, (ctx) => {
  const xs = tensorListAt(ctx, 0, "xs");
  const axisOpt = opt(ctx, "axis");
  if (axisOpt === null) ctx.fail("`axis` cannot be None for `concatenate`.");
  const axis = canonicalizeAxis(ctx, axisOpt, xs[0]!.shape.length);
  return join(
    ctx,
    xs,
    xs.map((x) => x.shape),
    axis,
  );
});

const Append = defineOp("Append", { axis: null }, (ctx) => {
  const x1 = tensorAt(ctx, 0, "x1");
  const x2 = tensorAt(ctx, 1, "x2");
  const axis = opt(ctx, "axis");
  if (axis === null || axis === undefined) {
    const [a, b] = [prodOrNull(x1.shape), prodOrNull(x2.shape)];
    return { shape: [a === null || b === null ? null : a + b], dtype: promote(x1, x2) };
  }
  const i = canonicalizeAxis(ctx, axis, x1.shape.length);
  if (!shapeEqual(x1.shape, x2.shape, [i])) {
    ctx.fail(
      `\`append\` requires inputs to have the same shape except the \`axis=${axis}\`, but received shape ${pyTuple(x1.shape)} and ${pyTuple(x2.shape)}.`,
    );
  }
  const shape = [...x1.shape];
  shape[i] = x1.shape[i] === null || x2.shape[i] === null ? null : x1.shape[i]! + x2.shape[i]!;
  return { shape, dtype: promote(x1, x2) };
});

const Stack = defineOp("Stack", { axis: 0 }, (ctx) => {
  const xs = tensorListAt(ctx, 0, "x");
  const first = xs[0]!.shape;
  const axis = canonicalizeAxis(ctx, opt(ctx, "axis"), first.length + 1);
  for (const x of xs) {
    if (!shapeEqual(x.shape, first)) {
      ctx.fail(
        `Every value in \`x\` must have the same shape. But found element of shape ${pyTuple(x.shape)},  which is different from the first element's shape ${pyTuple(first)}.`,
      );
    }
  }
  const shape = [...first];
  shape.splice(axis, 0, xs.length);
  return { shape, dtype: promote(...xs) };
});

const stackKinds = [
  defineOp("Hstack", {}, (ctx) => {
    const xs = tensorListAt(ctx, 0, "xs");
    return join(
      ctx,
      xs,
      xs.map((x) => x.shape),
      1,
    );
  }),
  defineOp("Vstack", {}, (ctx) => {
    const xs = tensorListAt(ctx, 0, "xs");
    return join(
      ctx,
      xs,
      xs.map((x) => x.shape),
      0,
    );
  }),
  defineOp("Dstack", {}, (ctx) => {
    const xs = tensorListAt(ctx, 0, "xs");
    const as3d = (s: Shape): Shape =>
      s.length === 0 ? [1, 1, 1] : s.length === 1 ? [1, s[0]!, 1] : s.length === 2 ? [...s, 1] : s;
    return join(
      ctx,
      xs,
      xs.map((x) => as3d(x.shape)),
      2,
    );
  }),
  defineOp("ColumnStack", {}, (ctx) => {
    const xs = tensorListAt(ctx, 0, "xs");
    for (const x of xs) {
      if (x.shape.length < 1)
        ctx.fail(
          `\`column_stack\` requires tensors of at least 1 dimension. Received tensor with shape ${pyTuple(x.shape)}.`,
        );
    }
    return join(
      ctx,
      xs,
      xs.map((x) => (x.shape.length === 1 ? [x.shape[0]!, 1] : x.shape)),
      1,
    );
  }),
];

/** `_compute_split_output_spec`: equal sections (must divide a known size) or split points. */
function split(ctx: CallContext, x: TensorSpec, sections: unknown, axisValue: number): TensorSpec[] {
  const axis = canonicalizeAxis(ctx, axisValue, x.shape.length);
  const size = x.shape[axis]!;
  const at = (d: Dim) => ({ shape: x.shape.map((v, i) => (i === axis ? d : v)), dtype: x.dtype });
  if (typeof sections === "number") {
    if (size === null) return Array.from({ length: sections }, () => at(null));
    if (size % sections !== 0) {
      ctx.fail(
        "`x` size on given `axis` must be divisible by `indices_or_sections` when `indices_or_sections` is an int. " +
          `But received ${size} and ${sections}.`,
      );
    }
    return Array.from({ length: sections }, () => at(size / sections));
  }
  if (!Array.isArray(sections))
    return ctx.fail(
      `expects \`indices_or_sections\` to be an int or a list of ints. Received: ${JSON.stringify(sections)}`,
    );
  const points: Dim[] = [0, ...(sections as number[]), size];
  return points.slice(1).map((end, i) => {
    const start = points[i]!;
    return at(start === null || end === null ? null : end - start);
  });
}

const splitKinds = [
  defineOp("Split", { axis: 0 }, (ctx) =>
    split(ctx, tensorAt(ctx, 0, "x"), opt(ctx, "indices_or_sections"), opt(ctx, "axis") as number),
  ),
  defineOp("Hsplit", {}, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    if (x.shape.length < 1)
      ctx.fail(
        `\`hsplit\` only works on arrays of at least 1 dimension. Received array with shape ${pyTuple(x.shape)}.`,
      );
    return split(ctx, x, opt(ctx, "indices_or_sections"), x.shape.length === 1 ? 0 : 1);
  }),
  defineOp("Vsplit", {}, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    if (x.shape.length < 2)
      ctx.fail(
        `\`vsplit\` only works on arrays of at least 2 dimensions. Received array with shape ${pyTuple(x.shape)}.`,
      );
    return split(ctx, x, opt(ctx, "indices_or_sections"), 0);
  }),
  defineOp("Dsplit", {}, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    if (x.shape.length < 3)
      ctx.fail(
        `\`dsplit\` only works on arrays of at least 3 dimensions. Received array with shape ${pyTuple(x.shape)}.`,
      );
    return split(ctx, x, opt(ctx, "indices_or_sections"), 2);
  }),
  /** `array_split(x, indices_or_sections, axis=0)`: the first `size % n` parts get one more. */
  defineOp("ArraySplit", { axis: 0 }, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    const n = opt(ctx, "indices_or_sections") as number;
    const axis = canonicalizeAxis(ctx, opt(ctx, "axis"), x.shape.length);
    const size = x.shape[axis]!;
    return Array.from({ length: n }, (_, i) => ({
      shape: x.shape.map((d, k) =>
        k !== axis ? d : size === null ? null : Math.floor(size / n) + (i < size % n ? 1 : 0),
      ),
      dtype: x.dtype,
    }));
  }),
];

/** `meshgrid(*x, indexing="xy")`: one output per input; "xy" swaps the first two sizes. */
const Meshgrid = defineOp("Meshgrid", { indexing: "xy" }, (ctx) => {
  const xs = ctx.args.map((_, i) => tensorAt(ctx, i, "x"));
  const sizes = xs.map((x) => (x.shape.length === 0 ? 1 : prodOrNull(x.shape)));
  if (opt(ctx, "indexing") === "ij") return xs.map(() => ({ shape: sizes, dtype: "float32" }));
  const shape = [...sizes];
  if (shape.length >= 2) [shape[0], shape[1]] = [shape[1]!, shape[0]!];
  return xs.map((x) => ({ shape, dtype: x.dtype }));
});

/** `unstack(x, num=None, axis=0)` (keras.ops.core): one tensor per slice along `axis`. */
const Unstack = defineOp("Unstack", { num: null, axis: 0 }, (ctx) => {
  const x = tensorAt(ctx, 0, "x");
  const axis = canonicalizeAxis(ctx, opt(ctx, "axis"), x.shape.length);
  const num = (opt(ctx, "num") as number | null) ?? x.shape[axis] ?? null;
  if (num === null) {
    ctx.fail(
      `Cannot infer argument \`num\` from shape ${pyTuple(x.shape)}. Either provide a tensor with a concrete shape in the \`axis\` dimension or explicitly pass the \`num\` argument.`,
    );
  }
  return Array.from({ length: num as number }, () => ({ shape: x.shape.filter((_, i) => i !== axis), dtype: x.dtype }));
});

export const numpyJoinKinds: LayerKind[] = [Concatenate, Append, Stack, ...stackKinds, ...splitKinds, Meshgrid];

export const coreUnstack = Unstack;
