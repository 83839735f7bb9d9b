import type { TensorSpec } from "../../ir/graph.js";
import type { Dim, Shape } from "../../ir/shape.js";
import { broadcastShapes, canonicalizeAxis, isSpec } from "../ops/define-op.js";
import { type TfRule, KW_ONLY, tfShape } from "./tf-call.js";

/*
 * TensorFlow's array functions (tf.reshape, tf.concat, tf.gather, ...) as tf.keras 2 recorded them.
 * Where TensorFlow's shape function matches the Keras 3 operation (transpose, expand_dims, concat,
 * stack, unstack, tile, pad, repeat, broadcast_to, slice), the operation computes the shape; reshape,
 * squeeze, split, gather and one_hot follow TensorFlow's own rules (array_ops.cc), which differ.
 */

const same = (x: TensorSpec): TensorSpec => ({ shape: x.shape, dtype: x.dtype });
const unknownDims = (n: number): Shape => Array<Dim>(n).fill(null);

/**
 * `reshape(tensor, shape)` with TensorFlow's inference (SetOutputShapeForReshape): one -1 is solved when
 * the input is fully known, or equals the input's single unknown dim when the known sizes agree.
 */
const reshape: TfRule = (call) => {
  const x = call.tensor(0, "tensor");
  const raw = call.raw(1, "shape");
  if (isSpec(raw)) {
    const n = raw.shape[0];
    if (raw.shape.length !== 1 || n === null || n === undefined) {
      return call.fail(`\`shape\` is a tensor of unknown length ${tfShape(raw.shape)}, so the output rank is unknown.`);
    }
    return { shape: unknownDims(n), dtype: x.dtype };
  }
  const given = typeof raw === "number" ? [raw] : Array.isArray(raw) ? raw : null;
  if (!given) return call.fail(`expects \`shape\` to be a list of integers. Received: shape=${JSON.stringify(raw)}`);
  const out: Dim[] = given.map((d, i) => {
    if (isSpec(d)) return null;
    if (typeof d !== "number" || !Number.isInteger(d) || d < -1) {
      return call.fail(`Size ${i} must be non-negative, not ${JSON.stringify(d)}`);
    }
    return d === -1 ? null : d;
  });
  const minus = given.flatMap((d, i) => (d === -1 ? [i] : []));
  if (minus.length > 1) call.fail(`Only one input size may be -1, not both ${minus[0]} and ${minus[1]}`);
  const unknown = (s: Dim[]) => s.flatMap((d, i) => (d === null ? [i] : []));
  const known = (s: Dim[]) => s.reduce<number>((a, d) => a * (d ?? 1), 1);
  const [inUnknown, outUnknown] = [unknown(x.shape), unknown(out)];
  const [inKnown, outKnown] = [known(x.shape), known(out)];
  const mismatch = () =>
    call.fail(`Cannot reshape a tensor with ${inKnown} elements to shape ${tfShape(out)} (${outKnown} elements).`);
  if (inUnknown.length > 1 || outUnknown.length > 1) return { shape: out, dtype: x.dtype };
  if (!inUnknown.length && !outUnknown.length) {
    if (inKnown !== outKnown) mismatch();
  } else if (!inUnknown.length && outKnown > 0) {
    if (inKnown % outKnown !== 0) mismatch();
    out[outUnknown[0]!] = inKnown / outKnown;
  } else if (!outUnknown.length && inKnown !== 0) {
    if (outKnown % inKnown !== 0) mismatch();
  } else if (inUnknown.length && outUnknown.length && inKnown === outKnown) {
    out[outUnknown[0]!] = x.shape[inUnknown[0]!]!;
  }
  return { shape: out, dtype: x.dtype };
};

/** `transpose(a, perm=None)`: Keras's Transpose (reversed axes by default). */
const transpose: TfRule = (call) => {
  const a = call.tensor(0, "a");
  const perm = call.ints(1, "perm");
  if (perm === "unknown") return { shape: unknownDims(a.shape.length), dtype: a.dtype };
  return call.keras1("numpy", "Transpose", [a], { axes: perm });
};

/** `squeeze(input, axis=None)`: named axes are squeezed even when unknown; known ones must be 1. */
const squeeze: TfRule = (call) => {
  const x = call.tensor(0, "input");
  const axis = call.given(1, "axis") ? call.ints(1, "axis") : call.ints(KW_ONLY, "squeeze_dims");
  if (axis === "unknown") return call.fail("expects `axis` to be a list of integers. Received: a tensor");
  if (axis === null || axis.length === 0) return { shape: x.shape.filter((d) => d !== 1), dtype: x.dtype };
  const rank = x.shape.length;
  const drop = axis.map((a) => {
    if (a < -rank || a >= rank) call.fail(`Tried to squeeze dim index ${a} for tensor with ${rank} dimensions.`);
    const i = a < 0 ? a + rank : a;
    const d = x.shape[i];
    if (d !== null && d !== 1) call.fail(`Can not squeeze dim[${i}], expected a dimension of 1, got ${d}`);
    return i;
  });
  return { shape: x.shape.filter((_, i) => !drop.includes(i)), dtype: x.dtype };
};

/** `concat(values, axis)`. */
const concat: TfRule = (call) => {
  const xs = call.operandList(0, "values");
  if (xs.some((x) => x.shape.length === 0)) call.fail("Can't concatenate scalars (use tf.stack instead)");
  const out = call.keras1("numpy", "Concatenate", [xs], { axis: call.int(1, "axis") });
  return { shape: out.shape, dtype: xs[0]!.dtype };
};

/** `stack(values, axis=0)`. */
const stack: TfRule = (call) => {
  const xs = call.operandList(0, "values");
  return { shape: call.keras1("numpy", "Stack", [xs], { axis: call.int(1, "axis", 0) }).shape, dtype: xs[0]!.dtype };
};

/** `unstack(value, num=None, axis=0)`: Keras's Unstack. */
const unstack: TfRule = (call) =>
  call.keras("core", "Unstack", [call.tensor(0, "value")], {
    num: call.opt(1, "num", null),
    axis: call.int(2, "axis", 0),
  });

/** `split(value, num_or_size_splits, axis=0, num=None)`: n equal parts, or the given sizes (one may be -1). */
const split: TfRule = (call) => {
  const x = call.tensor(0, "value");
  const axis = canonicalizeAxis(call.ctx, call.int(2, "axis", 0), x.shape.length);
  const size = x.shape[axis]!;
  const at = (d: Dim): TensorSpec => ({ shape: x.shape.map((v, i) => (i === axis ? d : v)), dtype: x.dtype });
  const raw = call.raw(1, "num_or_size_splits");
  if (typeof raw === "number") {
    if (size !== null && size % raw !== 0) {
      call.fail(`Dimension ${axis} (of size ${size}) must be evenly divisible by ${raw} (num_or_size_splits).`);
    }
    return Array.from({ length: raw }, () => at(size === null ? null : size / raw));
  }
  if (isSpec(raw)) {
    const n = raw.shape.length === 0 ? null : ((call.opt(3, "num", null) as number | null) ?? raw.shape[0] ?? null);
    if (n === null) return call.fail("Cannot infer argument `num` from shape of `num_or_size_splits`.");
    return Array.from({ length: n }, () => at(null));
  }
  const sizes = call.ints(1, "num_or_size_splits");
  if (!Array.isArray(sizes)) return call.fail("expects `num_or_size_splits` to be an integer or a list of integers.");
  const rest = sizes.filter((s) => s !== -1).reduce((a, b) => a + b, 0);
  if (size !== null && (sizes.includes(-1) ? rest > size : rest !== size)) {
    call.fail(
      `Determined shape must either match input shape along split_dim exactly if fully specified, or be less than the size of the input along split_dim if not fully specified. Got: ${rest} and ${size}`,
    );
  }
  return sizes.map((s) => at(s !== -1 ? s : size === null ? null : size - rest));
};

/** A function of a tensor and an integer list handled by a Keras op (tile, pad, repeat, broadcast_to). */
function withInts(
  first: string,
  key: string,
  group: string,
  op: string,
  opKey: string,
  extra: Record<string, unknown> = {},
): TfRule {
  return (call) => {
    const x = call.tensor(0, first);
    const v = call.raw(1, key);
    const unknown = isSpec(v) || (Array.isArray(v) && v.flat(2).some(isSpec));
    if (unknown)
      return {
        shape: unknownDims(op === "BroadcastTo" && Array.isArray(v) ? v.length : x.shape.length),
        dtype: x.dtype,
      };
    return call.keras1(group, op, [x], { [opKey]: v, ...extra });
  };
}

/** `tile(input, multiples)`: one multiple per dim. */
const tile: TfRule = (call) => {
  const x = call.tensor(0, "input");
  const m = call.ints(1, "multiples");
  if (Array.isArray(m) && m.length !== x.shape.length) {
    call.fail(
      `Shape must be rank ${x.shape.length} but is rank ${m.length} for \`multiples\`. Received: input shape ${tfShape(x.shape)}`,
    );
  }
  return withInts("input", "multiples", "numpy", "Tile", "repeats")(call);
};

/** `pad(tensor, paddings, mode="CONSTANT", constant_values=0)`: one (before, after) pair per dim. */
const pad: TfRule = (call) => {
  const x = call.tensor(0, "tensor");
  const p = call.raw(1, "paddings");
  if (Array.isArray(p) && p.length !== x.shape.length) {
    call.fail(`The first dimension of paddings must be the rank of inputs [${p.length},2] ${tfShape(x.shape)}`);
  }
  return withInts("tensor", "paddings", "numpy", "Pad", "pad_width")(call);
};

/** `gather(params, indices, validate_indices=None, axis=None, batch_dims=0)`: axis defaults to batch_dims. */
const gather: TfRule = (call) => {
  const params = call.tensor(0, "params");
  const indices = call.operand(1, "indices", "int32");
  const batchDims = call.int(4, "batch_dims", 0);
  const axis = canonicalizeAxis(call.ctx, call.given(3, "axis") ? call.int(3, "axis") : batchDims, params.shape.length);
  const b = batchDims < 0 ? batchDims + indices.shape.length : batchDims;
  return {
    shape: [...params.shape.slice(0, axis), ...indices.shape.slice(b), ...params.shape.slice(axis + 1)],
    dtype: params.dtype,
  };
};

/** `one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None)`. */
const oneHot: TfRule = (call) => {
  const x = call.tensor(0, "indices");
  const depthRaw = call.raw(1, "depth");
  const depth: Dim = typeof depthRaw === "number" ? depthRaw : isSpec(depthRaw) ? null : call.int(1, "depth");
  const axis = call.given(4, "axis") ? call.int(4, "axis") : -1;
  if (axis < -1 || axis > x.shape.length)
    call.fail(`Expected axis to be -1 or between [0, ${x.shape.length}). But received: ${axis}`);
  const shape = [...x.shape];
  shape.splice(axis === -1 ? shape.length : axis, 0, depth);
  const on = call.raw(2, "on_value");
  const dtype =
    call.dtype(5, "dtype", null) ??
    (isSpec(on) ? on.dtype : call.given(2, "on_value") ? call.operand(2, "on_value").dtype : "float32");
  return { shape, dtype };
};

/** `where(condition, x=None, y=None)`: the coordinates of true values, or x/y chosen with broadcasting. */
const where: TfRule = (call) => {
  const cond = call.operand(0, "condition", "bool");
  if (!call.given(1, "x") && !call.given(2, "y")) return { shape: [null, cond.shape.length], dtype: "int64" };
  const [x, y] = call.operands([1, "x"], [2, "y"]);
  const shape = broadcastShapes(call.ctx, broadcastShapes(call.ctx, cond.shape, x!.shape), y!.shape);
  return { shape, dtype: x!.dtype };
};

/** `clip_by_value(t, clip_value_min, clip_value_max)`: the bounds may not broadcast `t` larger. */
const clip: TfRule = (call) => {
  const [t, lo, hi] = call.operands([0, "t"], [1, "clip_value_min"], [2, "clip_value_max"]);
  for (const b of [lo!, hi!]) {
    const s = broadcastShapes(call.ctx, t!.shape, b.shape);
    if (s.length !== t!.shape.length)
      call.fail(`clip bounds of shape ${tfShape(b.shape)} would broadcast t of shape ${tfShape(t!.shape)}`);
  }
  return same(t!);
};

/** `slice(input_, begin, size)`: Keras's Slice (-1 takes the rest). */
const slice: TfRule = (call) => {
  const x = call.tensor(0, "input_");
  const [begin, size] = [call.ints(1, "begin"), call.ints(2, "size")];
  if (!Array.isArray(size)) return { shape: unknownDims(x.shape.length), dtype: x.dtype };
  return call.keras1("core", "Slice", [x, Array.isArray(begin) ? begin : call.tensor(1, "begin")], { shape: size });
};

/** `ensure_shape(x, shape)`: the given dims (None where unknown) merged into x's. */
const ensureShape: TfRule = (call) => {
  const x = call.tensor(0, "x");
  const raw = call.raw(1, "shape");
  if (!Array.isArray(raw)) return same(x);
  if (raw.length !== x.shape.length)
    call.fail(`Shape of tensor ${tfShape(x.shape)} is not compatible with expected shape ${JSON.stringify(raw)}.`);
  return { shape: x.shape.map((d, i) => (typeof raw[i] === "number" ? (raw[i] as number) : d)), dtype: x.dtype };
};

const keep: TfRule = (call) => same(call.tensor(0, "input"));
const castTo =
  (name: string, position: number): TfRule =>
  (call) => {
    const x = call.operand(0, "x");
    return { shape: x.shape, dtype: call.dtype(position, name, null) ?? x.dtype };
  };

export const arrayFunctions: Record<string, TfRule> = {
  reshape,
  transpose,
  "compat.v1.transpose": transpose,
  expand_dims: (call) => call.keras1("numpy", "ExpandDims", [call.tensor(0, "input")], { axis: call.int(1, "axis") }),
  "compat.v1.expand_dims": (call) =>
    call.keras1("numpy", "ExpandDims", [call.tensor(0, "input")], {
      axis: call.given(1, "axis") ? call.int(1, "axis") : call.int(KW_ONLY, "dim"),
    }),
  squeeze,
  "compat.v1.squeeze": squeeze,
  concat,
  stack,
  unstack,
  split,
  tile,
  pad,
  repeat: (call) =>
    call.keras1("numpy", "Repeat", [call.tensor(0, "input")], {
      repeats: call.raw(1, "repeats"),
      axis: call.opt(2, "axis", null),
    }),
  broadcast_to: withInts("input", "shape", "numpy", "BroadcastTo", "shape"),
  slice,
  gather,
  "compat.v1.gather": gather,
  one_hot: oneHot,
  where,
  clip_by_value: clip,
  ensure_shape: ensureShape,
  cast: (call) => {
    if (!call.given(1, "dtype")) call.fail("`cast` needs a dtype. Received: dtype=None");
    return castTo("dtype", 1)(call);
  },
  convert_to_tensor: castTo("dtype", 1),
  identity: keep,
  stop_gradient: keep,
  reverse: keep,
  roll: keep,
  "math.l2_normalize": keep,
  "nn.l2_normalize": keep,
  "linalg.l2_normalize": keep,
  zeros_like: castTo("dtype", 1),
  ones_like: castTo("dtype", 1),
  shape: (call) => ({ shape: [call.tensor(0, "input").shape.length], dtype: call.dtype(1, "out_type", "int32")! }),
  "compat.v1.shape": (call) => ({
    shape: [call.tensor(0, "input").shape.length],
    dtype: call.dtype(2, "out_type", "int32")!,
  }),
  size: (call) => ({ shape: [], dtype: call.dtype(1, "out_type", "int32")! }),
  rank: () => ({ shape: [], dtype: "int32" }),
};
