import { type Const, constFrom, numbers, sizeOf } from "../const.js";
import type { Dim } from "../graph.js";

/** NumPy broadcasting of shapes with symbols: a symbol against 1 stays, against a size takes the size. */
export function broadcastShapes(shapes: (Dim[] | null)[]): Dim[] | null {
  if (shapes.some((s) => s === null)) return null;
  const rank = Math.max(...shapes.map((s) => s!.length));
  const out: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    let d: Dim = 1;
    for (const s of shapes) {
      const x = s![s!.length - rank + i];
      if (x === undefined || x === 1) continue;
      if (d === 1) d = x;
      else if (typeof d === "string" && typeof x === "number") d = x;
      else if (typeof d === "number" && typeof x === "number" && d !== x) return null;
    }
    out.push(d);
  }
  return out;
}

function strides(dims: number[]): number[] {
  const s = new Array<number>(dims.length);
  for (let i = dims.length - 1, acc = 1; i >= 0; i--) {
    s[i] = acc;
    acc *= dims[i]!;
  }
  return s;
}

/** For each element of `out`, the flat index of the element of `dims` (right-aligned) it reads. */
export function broadcastIndex(dims: number[], out: number[]): Int32Array {
  const n = sizeOf(out);
  const idx = new Int32Array(n);
  const rank = out.length;
  const pad = [...new Array<number>(rank - dims.length).fill(1), ...dims];
  const inStrides = strides(pad).map((s, i) => (pad[i] === 1 ? 0 : s));
  const counter = new Array<number>(rank).fill(0);
  let at = 0;
  for (let i = 0; i < n; i++) {
    idx[i] = at;
    for (let k = rank - 1; k >= 0; k--) {
      counter[k]!++;
      at += inStrides[k]!;
      if (counter[k]! < out[k]!) break;
      at -= inStrides[k]! * counter[k]!;
      counter[k] = 0;
    }
  }
  return idx;
}

/** An elementwise function of any number of constants, broadcast; the result has `dtype`. */
export function elementwise(inputs: Const[], dtype: string, fn: (...x: number[]) => number): Const {
  const shape = broadcastShapes(inputs.map((c) => c.dims)) as number[] | null;
  if (!shape) throw new RangeError(`shapes ${inputs.map((c) => `[${c.dims}]`).join(", ")} do not broadcast`);
  const vals = inputs.map((c) => numbers(c));
  const maps = inputs.map((c) => broadcastIndex(c.dims, shape));
  const n = sizeOf(shape);
  const out = new Float64Array(n);
  const args = new Array<number>(inputs.length);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < inputs.length; k++) args[k] = vals[k]![maps[k]![i]!]!;
    out[i] = fn(...args);
  }
  return constFrom(dtype, shape, out);
}

/** `numpy.broadcast_to`. */
export function broadcastTo(c: Const, shape: number[]): Const {
  const idx = broadcastIndex(c.dims, shape);
  const out = new (c.data.constructor as new (n: number) => typeof c.data)(idx.length);
  const src = c.data as unknown as number[];
  const dst = out as unknown as number[];
  for (let i = 0; i < idx.length; i++) dst[i] = src[idx[i]!]!;
  return { dtype: c.dtype, dims: shape, data: out };
}
