import { TYPED_ARRAYS, type TypedArray } from "../../ir/weights.js";

/**
 * An n-dimensional array as NumPy holds it: a dtype name ("float32", "int64", "bool", ...), a shape and
 * its values in C (row-major) order. float16 values are kept as their Uint16 bits, bool as Uint8.
 */
export interface NdArray {
  dtype: string;
  shape: number[];
  data: TypedArray;
}

/** The typed array that holds each dtype NumPy files and onnxruntime share (all of kerasgraph's but bfloat16). */
export const ARRAY_TYPES: Readonly<Record<string, new (n: number) => TypedArray>> = Object.fromEntries(
  Object.entries(TYPED_ARRAYS).filter(([dtype]) => dtype !== "bfloat16"),
);

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
