import { KerasGraphError } from "../../ir/errors.js";
import type { NdArray } from "../../formats/npy/array.js";

/**
 * One sample of a batch of activations as float64 values and its shape without the batch axis: the
 * extract command's arrays are `(batch, ...)`. float16 (kept as bits), int64 and bool become numbers.
 */
export function sampleValues(array: NdArray, sample: number, where: string): { shape: number[]; values: Float64Array } {
  const [batch, ...shape] = array.shape;
  if (batch === undefined) return { shape: [], values: toFloat64(array, 0, 1) };
  if (!Number.isInteger(sample) || sample < 0 || sample >= batch) {
    throw new KerasGraphError(
      `${where}: there is no sample ${sample} in a batch of ${batch}. Received: sample=${sample}`,
    );
  }
  const size = shape.reduce((a, b) => a * b, 1);
  return { shape, values: toFloat64(array, sample * size, size) };
}

function toFloat64(array: NdArray, start: number, count: number): Float64Array {
  const out = new Float64Array(count);
  const data = array.data as ArrayLike<number | bigint>;
  const half = array.dtype === "float16";
  for (let i = 0; i < count; i++) {
    const v = data[start + i]!;
    out[i] = half ? float16ToNumber(v as number) : Number(v);
  }
  return out;
}

/** IEEE 754 half precision bits to a number (subnormals, infinities and NaN included). */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
