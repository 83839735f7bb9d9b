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
  /** The loader the values came from, kept so that loaded values can be dropped and read again. */
  private readonly loader?: () => TypedArray;

  constructor(
    readonly dtype: DType,
    readonly shape: number[],
    source: TypedArray | (() => TypedArray),
  ) {
    this.source = source;
    if (typeof source === "function") this.loader = source;
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

  /**
   * Drops loaded values that can be loaded again (from `loader`, or the loader the data was made with);
   * returns whether it did. Writers call it after writing a value they loaded, so that converting a large
   * model holds one weight at a time.
   */
  release(loader?: () => TypedArray): boolean {
    const from = loader ?? this.loader;
    if (!from) return false;
    this.source = from;
    return true;
  }
}

/** One variable of a compiled model's optimizer, as saved beside the weights. */
export interface OptimizerVariable {
  /** The name the file gave it (legacy HDF5 `optimizer_weights`: "adam/iteration", "Adam/iter:0"); `.keras` only numbers them. */
  name: string;
  data: WeightData;
}

/**
 * A compiled model's optimizer state: `.keras` `optimizer/vars/<i>`, legacy HDF5 `optimizer_weights`.
 * Keras 3 and tf.keras 2 optimizers lay their variables out differently, so `keras3` says whether Keras 3
 * can load them back (`iterations`, `learning_rate`, then the slots in its order).
 */
export interface OptimizerState {
  /** The optimizer's name ("adam"), which `.keras` records on its `vars` group. */
  name: string;
  variables: OptimizerVariable[];
  keras3: boolean;
}

/** A typed-array class: made from a length or from a buffer. */
export interface TypedArrayConstructor {
  new (length: number): TypedArray;
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): TypedArray;
  readonly BYTES_PER_ELEMENT: number;
}

/**
 * The typed array that holds each dtype kerasgraph stores (NumPy names): float16 and bfloat16 as their
 * bits in a Uint16Array, bool as a Uint8Array.
 */
export const TYPED_ARRAYS: Readonly<Record<string, TypedArrayConstructor>> = {
  float32: Float32Array,
  float64: Float64Array,
  float16: Uint16Array,
  bfloat16: Uint16Array,
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
