import type { TypedArray } from "../../../../ir/weights.js";
import { transposeData } from "../../tensor-data.js";
import { type Const, numbers, sizeOf } from "../const.js";

/** Constant versions of the data-movement ops: same values, new order or shape. */

const normalize = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

export function reshapeConst(c: Const, dims: number[]): Const {
  return { dtype: c.dtype, dims, data: c.data };
}

export function transposeConst(c: Const, perm?: number[]): Const {
  const p = perm ?? c.dims.map((_, i) => c.dims.length - 1 - i);
  return { dtype: c.dtype, dims: p.map((i) => c.dims[i]!), data: transposeData(c.data, c.dims, p) };
}

function alloc(c: Const, n: number): TypedArray {
  return new (c.data.constructor as new (n: number) => TypedArray)(n);
}

/** `numpy.take(data, indices, axis)`; negative indices count from the end. */
export function gatherConst(data: Const, indices: Const, axis: number): Const {
  const a = normalize(axis, data.dims.length);
  const outer = sizeOf(data.dims.slice(0, a));
  const inner = sizeOf(data.dims.slice(a + 1));
  const n = data.dims[a]!;
  const idx = numbers(indices).map((i) => (i < 0 ? i + n : i));
  const out = alloc(data, outer * idx.length * inner);
  const src = data.data as unknown as number[];
  const dst = out as unknown as number[];
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (const i of idx) {
      for (let k = 0; k < inner; k++) dst[at++] = src[(o * n + i) * inner + k]!;
    }
  }
  return { dtype: data.dtype, dims: [...data.dims.slice(0, a), ...indices.dims, ...data.dims.slice(a + 1)], data: out };
}

/** ONNX Slice's (start, end, step) on one axis of size n, clamped as the spec says. */
export function sliceRange(n: number, start: number, end: number, step: number): number[] {
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  let s = start < 0 ? start + n : start;
  let e = end < 0 ? end + n : end;
  if (step > 0) {
    s = clamp(s, 0, n);
    e = clamp(e, 0, n);
  } else {
    s = clamp(s, 0, n - 1);
    e = clamp(e, -1, n - 1);
  }
  const out: number[] = [];
  for (let i = s; step > 0 ? i < e : i > e; i += step) out.push(i);
  return out;
}

export function sliceConst(c: Const, starts: number[], ends: number[], axes: number[], steps: number[]): Const {
  let out = c;
  axes.forEach((axis, k) => {
    const a = normalize(axis, out.dims.length);
    const picks = sliceRange(out.dims[a]!, starts[k]!, ends[k]!, steps[k] ?? 1);
    out = gatherConst(out, { dtype: "int64", dims: [picks.length], data: BigInt64Array.from(picks.map(BigInt)) }, a);
  });
  return out;
}

export function concatConst(parts: Const[], axis: number): Const {
  const first = parts[0]!;
  const a = normalize(axis, first.dims.length);
  const outer = sizeOf(first.dims.slice(0, a));
  const total = parts.reduce((s, p) => s + p.dims[a]!, 0);
  const inner = sizeOf(first.dims.slice(a + 1));
  const out = alloc(first, outer * total * inner);
  const dst = out as unknown as number[];
  let at = 0;
  for (let o = 0; o < outer; o++) {
    for (const p of parts) {
      const chunk = p.dims[a]! * inner;
      const src = p.data as unknown as number[];
      for (let k = 0; k < chunk; k++) dst[at++] = src[o * chunk + k]!;
    }
  }
  const dims = [...first.dims];
  dims[a] = total;
  return { dtype: first.dtype, dims, data: out };
}

/** `numpy.tile`. */
export function tileConst(c: Const, repeats: number[]): Const {
  let out = c;
  repeats.forEach((r, axis) => {
    if (r === 1) return;
    out = concatConst(new Array<Const>(r).fill(out), axis);
  });
  return out;
}

/** `numpy.split` into parts of the given sizes along an axis. */
export function splitConst(c: Const, axis: number, sizes: number[]): Const[] {
  const a = normalize(axis, c.dims.length);
  let start = 0;
  return sizes.map((s) => {
    const part = sliceConst(c, [start], [start + s], [a], [1]);
    start += s;
    return part;
  });
}
