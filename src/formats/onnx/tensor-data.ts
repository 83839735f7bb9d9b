import type { TypedArray } from "../../ir/weights.js";
import type { WeightData } from "../../ir/weights.js";

/** IEEE half-precision bits → float. */
function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** A weight's values as float32 (float16 and bfloat16 bits are decoded; float64 is rounded). */
export function float32Values(w: WeightData): Float32Array {
  const v = w.values;
  if (v instanceof Float32Array) return v;
  if (w.dtype === "float16") return Float32Array.from(v as Uint16Array, halfToFloat);
  if (w.dtype === "bfloat16") {
    const bits = new Uint32Array(v.length);
    (v as Uint16Array).forEach((b, i) => (bits[i] = b << 16));
    return new Float32Array(bits.buffer);
  }
  return Float32Array.from(v as ArrayLike<number>, Number);
}

/** `numpy.transpose(data.reshape(shape), perm)` in C order (an odometer over the output, O(1) per element). */
export function transposeData<T extends TypedArray>(data: T, shape: number[], perm: number[]): T {
  const rank = shape.length;
  const out = new (data.constructor as new (n: number) => T)(data.length);
  if (data.length === 0) return out;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i]!;
  }
  const strides = perm.map((p) => inStrides[p]!);
  const idx = new Array<number>(rank).fill(0);
  const src = data as unknown as number[];
  const dst = out as unknown as number[];
  const last = rank - 1;
  const innerStride = rank ? strides[last]! : 0;
  const innerSize = rank ? outShape[last]! : 1;
  let o = 0;
  let base = 0;
  while (o < data.length) {
    for (let j = 0, i = base; j < innerSize; j++, i += innerStride) dst[o++] = src[i]!;
    let k = last - 1;
    for (; k >= 0; k--) {
      idx[k]!++;
      base += strides[k]!;
      if (idx[k]! < outShape[k]!) break;
      base -= strides[k]! * outShape[k]!;
      idx[k] = 0;
    }
    if (k < 0) break;
  }
  return out;
}

/** The inverse of a permutation. */
export function invertPerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

/** Channels-last → channels-first for a tensor of the given rank: (N, ..., C) → (N, C, ...). */
export function toChannelsFirstPerm(rank: number): number[] {
  return [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
}

/** Channels-first → channels-last: (N, C, ...) → (N, ..., C). */
export function toChannelsLastPerm(rank: number): number[] {
  return [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1];
}
