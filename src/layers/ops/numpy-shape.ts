import type { LayerKind } from "../../ir/kind.js";
import type { Dim, Shape } from "../../ir/shape.js";
import {
  canonicalizeAxis,
  axisList,
  defineOp,
  opt,
  prodOrNull,
  pyList,
  pyRepr,
  pyTuple,
  broadcastShapes,
  tensorAt,
} from "./define-op.js";

/*
 * Shape-changing operations of keras/src/ops/numpy.py (their `compute_output_spec` and the helpers in
 * keras/src/ops/operation_utils.py). They keep the input's dtype.
 */

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

/** `reshape(x, newshape)` (also `x.reshape(...)`): one -1 is inferred when every dim is known. */
const Reshape = defineOp("Reshape", {}, (ctx) => {
  const x = tensorAt(ctx, 0, "x");
  const raw = opt(ctx, "newshape");
  const given = isInt(raw)
    ? [raw]
    : Array.isArray(raw)
      ? raw
      : ctx.fail(`expects \`newshape\` to be a list of integers. Received: newshape=${pyRepr(raw)}`);
  const newshape: Dim[] = given.map((d) => (isInt(d) ? d : null));
  if (newshape.some((d) => d !== null && d < -1) || newshape.filter((d) => d === -1).length > 1) {
    ctx.fail(
      "Each dimension in `newshape` must be a non-negative integer, or `-1` for a single unknown dimension. " +
        `Received: newshape=${pyRepr(given)}.`,
    );
  }
  if (x.shape.includes(null) || newshape.includes(null))
    return { shape: newshape.map((d) => (d === -1 ? null : d)), dtype: x.dtype };
  const size = prodOrNull(x.shape)!;
  const known = newshape.filter((d) => d !== -1).reduce<number>((a, b) => a * b!, 1);
  if (!newshape.includes(-1)) {
    if (known !== size) {
      ctx.fail(
        `The total size of the tensor must be unchanged. Received: input_shape=${pyTuple(x.shape)}, newshape=${pyTuple(newshape)}`,
      );
    }
    return { shape: newshape, dtype: x.dtype };
  }
  if (known === 0 || size % known !== 0) {
    ctx.fail(
      "The total size of the tensor must be unchanged, however, the input size cannot by divided by the specified " +
        `dimensions in newshape. Received: input_shape=${pyTuple(x.shape)}, newshape=${pyTuple(newshape)}`,
    );
  }
  return { shape: newshape.map((d) => (d === -1 ? size / known : d)), dtype: x.dtype };
});

/** `transpose(x, axes=None)`: reversed axes by default, else a permutation. */
const Transpose = defineOp("Transpose", { axes: null }, (ctx) => {
  const x = tensorAt(ctx, 0, "x");
  const axes = axisList(ctx, opt(ctx, "axes"), "axes");
  if (axes === null) return { shape: [...x.shape].reverse(), dtype: x.dtype };
  const n = x.shape.length;
  if (axes.length !== n)
    ctx.fail(`axis must be a list of the same length as the input shape, expected ${n}, but received ${axes.length}.`);
  const norm = axes.map((a) =>
    a < -n || a >= n
      ? ctx.fail(`Each axis in \`axes\` must be an integer in [-${n}, ${n}). Received: axes=${pyList(axes)}.`)
      : ((a % n) + n) % n,
  );
  if (new Set(norm).size !== n) {
    ctx.fail(
      `\`axes\` must be a valid permutation of the input dimensions (no duplicates). Received: axes=${pyList(axes)} for input of rank ${n}.`,
    );
  }
  return { shape: norm.map((a) => x.shape[a]!), dtype: x.dtype };
});

/** `expand_dims(x, axis)`: a 1 at each (canonicalized against the output rank) axis. */
const ExpandDims = defineOp("ExpandDims", {}, (ctx) => {
  const x = tensorAt(ctx, 0, "x");
  const axes = axisList(ctx, opt(ctx, "axis")) ?? [x.shape.length];
  const n = axes.length + x.shape.length;
  const canon = axes.map((a) => canonicalizeAxis(ctx, a, n));
  let k = 0;
  return { shape: Array.from({ length: n }, (_, i) => (canon.includes(i) ? 1 : x.shape[k++]!)), dtype: x.dtype };
});

/** `squeeze(x, axis=None)`: drops 1s; an explicit axis must be 1 (an unknown size is not). */
const Squeeze = defineOp("Squeeze", { axis: null }, (ctx) => {
  const x = tensorAt(ctx, 0, "x");
  const axes = axisList(ctx, opt(ctx, "axis"));
  if (axes === null) return { shape: x.shape.filter((d) => d !== 1), dtype: x.dtype };
  for (const a of axes) if (x.shape.at(a) !== 1) ctx.fail(`Cannot squeeze axis ${a}, because the dimension is not 1.`);
  const canon = axes.map((a) => canonicalizeAxis(ctx, a, x.shape.length));
  return { shape: x.shape.filter((_, i) => !canon.includes(i)), dtype: x.dtype };
});

/** `moveaxis(x, source, destination)`. */
const Moveaxis = defineOp("Moveaxis", {}, (ctx) => {
  const x = tensorAt(ctx, 0, "x");
  const n = x.shape.length;
  const src = (axisList(ctx, opt(ctx, "source"), "source") ?? []).map((a) => canonicalizeAxis(ctx, a, n));
  const dst = (axisList(ctx, opt(ctx, "destination"), "destination") ?? []).map((a) => canonicalizeAxis(ctx, a, n));
  if (src.length !== dst.length) {
    ctx.fail(
      `\`source\` and \`destination\` arguments must have the same number of elements, but received \`source=${pyRepr(opt(ctx, "source"))}\` and \`destination=${pyRepr(opt(ctx, "destination"))}\`.`,
    );
  }
  const out: (Dim | undefined)[] = Array(n).fill(undefined);
  src.forEach((s, i) => (out[dst[i]!] = x.shape[s]!));
  const rest = x.shape.filter((_, i) => !src.includes(i));
  return { shape: out.map((d) => (d === undefined ? rest.shift()! : d)), dtype: x.dtype };
});

const Swapaxes = defineOp("Swapaxes", {}, (ctx) => {
  const x = tensorAt(ctx, 0, "x");
  const a = canonicalizeAxis(ctx, opt(ctx, "axis1"), x.shape.length);
  const b = canonicalizeAxis(ctx, opt(ctx, "axis2"), x.shape.length);
  const shape = [...x.shape];
  [shape[a], shape[b]] = [shape[b]!, shape[a]!];
  return { shape, dtype: x.dtype };
});

const Rot90 = defineOp("Rot90", { k: 1, axes: [0, 1] }, (ctx) => {
  const x = tensorAt(ctx, 0, "array");
  if (x.shape.length < 2)
    ctx.fail(`Input array must have at least 2 dimensions. Received: array.shape=${pyList(x.shape)}`);
  const axes = axisList(ctx, opt(ctx, "axes"), "axes") ?? [];
  if (axes.length !== 2 || axes[0] === axes[1])
    ctx.fail(`Invalid axes: ${pyRepr(axes)}. Axes must be a tuple of two different dimensions.`);
  const [a, b] = axes.map((v) => canonicalizeAxis(ctx, v, x.shape.length)) as [number, number];
  const shape = [...x.shape];
  [shape[a], shape[b]] = [shape[b]!, shape[a]!];
  return { shape, dtype: x.dtype };
});

const Ravel = defineOp("Ravel", {}, (ctx) => {
  const x = tensorAt(ctx, 0, "x");
  return { shape: [prodOrNull(x.shape)], dtype: x.dtype };
});

const BroadcastTo = defineOp("BroadcastTo", {}, (ctx) => {
  const x = tensorAt(ctx, 0, "x");
  const raw = opt(ctx, "shape");
  const shape: Shape = (isInt(raw) ? [raw] : Array.isArray(raw) ? raw : []).map((d) => (isInt(d) ? d : null));
  broadcastShapes(ctx, x.shape, shape);
  return { shape, dtype: x.dtype };
});

/** `tile(x, repeats)`: the shorter of shape/repeats is padded with leading 1s. */
const Tile = defineOp("Tile", {}, (ctx) => {
  const x = tensorAt(ctx, 0, "x");
  let reps = axisList(ctx, opt(ctx, "repeats"), "repeats") ?? [];
  let shape = [...x.shape];
  if (shape.length > reps.length) reps = [...Array<number>(shape.length - reps.length).fill(1), ...reps];
  else shape = [...Array<Dim>(reps.length - shape.length).fill(1), ...shape];
  return { shape: shape.map((d, i) => (d === null ? null : d * reps[i]!)), dtype: x.dtype };
});

/** `repeat(x, repeats, axis=None)`: axis=None flattens first. */
const Repeat = defineOp("Repeat", { axis: null }, (ctx) => {
  const x = tensorAt(ctx, 0, "x");
  const reps = axisList(ctx, opt(ctx, "repeats"), "repeats") ?? [];
  const broadcast = reps.length === 1;
  const total = reps.reduce((a, b) => a + b, 0);
  const axis = opt(ctx, "axis");
  if (axis === null || axis === undefined) {
    const size = prodOrNull(x.shape);
    if (size === null) return { shape: [null], dtype: x.dtype };
    if (!broadcast && reps.length !== size) {
      ctx.fail(
        `Size of \`repeats\` and dimensions of \`x\` after flattening should be compatible. Received: ${reps.length} and ${size}`,
      );
    }
    return { shape: [broadcast ? size * reps[0]! : total], dtype: x.dtype };
  }
  const i = canonicalizeAxis(ctx, axis, x.shape.length);
  const d = x.shape[i]!;
  if (d === null) return { shape: x.shape, dtype: x.dtype };
  if (!broadcast && d !== reps.length) {
    ctx.fail(
      `Size of \`repeats\` and dimensions of \`axis ${axis} of x\` should be compatible. Received: ${reps.length} and ${pyList(x.shape)}`,
    );
  }
  return { shape: x.shape.map((v, k) => (k === i ? (broadcast ? d * reps[0]! : total) : v)), dtype: x.dtype };
});

/** `pad(x, pad_width, mode="constant")`: `pad_width` is an int, a pair, or one pair per axis. */
const Pad = defineOp("Pad", { mode: "constant" }, (ctx) => {
  const x = tensorAt(ctx, 0, "x");
  const raw = opt(ctx, "pad_width");
  let pairs: number[][];
  if (isInt(raw)) pairs = [[raw, raw]];
  else if (Array.isArray(raw) && isInt(raw[0])) pairs = [raw as number[]];
  else if (Array.isArray(raw) && raw.every((p) => Array.isArray(p) && p.every(isInt))) pairs = raw as number[][];
  else
    return ctx.fail(
      `expects \`pad_width\` to be an int or a list of (before, after) pairs. Received: pad_width=${pyRepr(raw)}`,
    );
  pairs = pairs.map((p) => (p.length === 1 ? [p[0]!, p[0]!] : p));
  if (pairs.length !== 1 && pairs.length !== x.shape.length) {
    ctx.fail(
      `\`pad_width\` must have the same length as \`x.shape\`. Received: pad_width=${pyRepr(raw)} (of length ${pairs.length}) ` +
        `and x.shape=${pyTuple(x.shape)} (of length ${x.shape.length})`,
    );
  }
  const at = (i: number) => pairs[pairs.length === 1 ? 0 : i]!;
  return {
    shape: x.shape.map((d, i) => (d === null ? null : d + at(i)[0]! + (at(i)[1] ?? at(i)[0]!))),
    dtype: x.dtype,
  };
});

export const numpyShapeKinds: LayerKind[] = [
  Reshape,
  Transpose,
  ExpandDims,
  Squeeze,
  Moveaxis,
  Swapaxes,
  Rot90,
  Ravel,
  BroadcastTo,
  Tile,
  Repeat,
  Pad,
];
