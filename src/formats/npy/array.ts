import type { TypedArray } from "../../ir/weights.js";

/**
 * An n-dimensional array as NumPy holds it: a dtype name ("float32", "int64", "bool", ...), a shape and
 * its values in C (row-major) order. float16 values are kept as their Uint16 bits, bool as Uint8.
 */
export interface NdArray {
  dtype: string;
  shape: number[];
  data: TypedArray;
}

/** The typed array that holds each dtype NumPy files and onnxruntime share. */
export const ARRAY_TYPES: Record<string, new (n: number) => TypedArray> = {
  float32: Float32Array,
  float64: Float64Array,
  float16: Uint16Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  int64: BigInt64Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  uint64: BigUint64Array,
  bool: Uint8Array,
};

export function sizeOfShape(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A new array of the dtype and shape, checking that `data` has one value per element. */
export function ndarray(dtype: string, shape: number[], data: TypedArray): NdArray {
  const n = sizeOfShape(shape);
  if (data.length !== n) {
    throw new RangeError(`an array of shape (${shape.join(", ")}) needs ${n} values. Received: ${data.length}`);
  }
  return { dtype, shape, data };
}

/** Values as plain numbers (int64 as Number, losing precision past 2^53). */
export function toNumbers(a: NdArray): number[] {
  return Array.from(a.data as ArrayLike<number | bigint>, Number);
}
