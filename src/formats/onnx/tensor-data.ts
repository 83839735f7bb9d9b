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
  if (rank === 4 && perm[0] === 3 && perm[1] === 2 && perm[2] === 0 && perm[3] === 1) {
    hwioToOihw(data, out, shape);
    return out;
  }
  if (rank === 4 && perm[0] === 2 && perm[1] === 3 && perm[2] === 1 && perm[3] === 0) {
    oihwToHwio(data, out, shape);
    return out;
  }
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

/**
 * A conv kernel (H, W, I, O) → (O, I, H, W), the exporter's most common transpose: for each input
 * channel a (H·W, O) → (O, H·W) transpose, in blocks of output channels so that reads run along O and
 * the block's destination rows stay in cache (several times faster than the odometer on large kernels).
 */
function hwioToOihw(data: TypedArray, out: TypedArray, shape: number[]): void {
  const [h, w, ci, co] = shape as [number, number, number, number];
  const hw = h * w;
  const src = data as unknown as number[];
  const dst = out as unknown as number[];
  const BLOCK = 64;
  for (let i = 0; i < ci; i++) {
    for (let o0 = 0; o0 < co; o0 += BLOCK) {
      const o1 = Math.min(co, o0 + BLOCK);
      for (let p = 0; p < hw; p++) {
        const s = (p * ci + i) * co;
        for (let o = o0; o < o1; o++) dst[(o * ci + i) * hw + p] = src[s + o]!;
      }
    }
  }
}

/** The inverse of `hwioToOihw`: (O, I, H, W) → (H, W, I, O), blocked the same way. */
function oihwToHwio(data: TypedArray, out: TypedArray, shape: number[]): void {
  const [co, ci, h, w] = shape as [number, number, number, number];
  const hw = h * w;
  const src = data as unknown as number[];
  const dst = out as unknown as number[];
  const BLOCK = 64;
  for (let i = 0; i < ci; i++) {
    for (let o0 = 0; o0 < co; o0 += BLOCK) {
      const o1 = Math.min(co, o0 + BLOCK);
      for (let p = 0; p < hw; p++) {
        const d = (p * ci + i) * co;
        for (let o = o0; o < o1; o++) dst[d + o] = src[(o * ci + i) * hw + p]!;
      }
    }
  }
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
