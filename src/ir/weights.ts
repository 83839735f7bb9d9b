import type { DType } from "./graph.js";

export type TypedArray =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/**
 * The values of one variable: dtype, shape and a typed array (float16/bfloat16 as Uint16Array bits,
 * bool as Uint8Array). The array may be given as a loader, called once on first access, so a reader can
 * attach every weight without holding two copies of a large model in memory.
 */
export class WeightData {
  private source: TypedArray | (() => TypedArray);

  constructor(
    readonly dtype: DType,
    readonly shape: number[],
    source: TypedArray | (() => TypedArray),
  ) {
    this.source = source;
  }

  get size(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  get loaded(): boolean {
    return typeof this.source !== "function";
  }

  /** The values, loading them on first access. */
  get values(): TypedArray {
    if (typeof this.source === "function") this.source = this.source();
    return this.source;
  }

  /** Drops loaded values that can be loaded again (a loader was given); returns whether it did. */
  release(loader?: () => TypedArray): boolean {
    if (!loader) return false;
    this.source = loader;
    return true;
  }
}
