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
 * Reusable memory for values that are used once and dropped: a writer passes one along so that laying
 * out weight after weight does not allocate (and page in) new arrays each time. Each key names one
 * buffer, grown when needed; what was put in it is valid until the key's next use.
 */
export class Scratch {
  private readonly buffers = new Map<string, ArrayBuffer>();

  /** The key's buffer, at least `byteLength` bytes long. */
  buffer(key: string, byteLength: number): ArrayBuffer {
    let b = this.buffers.get(key);
    if (!b || b.byteLength < byteLength) this.buffers.set(key, (b = new ArrayBuffer(byteLength)));
    return b;
  }

  /** `byteLength` bytes of the key's memory (a subclass may place them elsewhere than `buffer`'s). */
  bytes(key: string, byteLength: number): Uint8Array {
    return new Uint8Array(this.buffer(key, byteLength), 0, byteLength);
  }

  /** An array of `a`'s type and length over the key's memory. */
  like<T extends TypedArray>(key: string, a: T): T {
    const Ctor = a.constructor as new (buffer: ArrayBufferLike, offset: number, length: number) => T;
    const bytes = this.bytes(key, a.byteLength);
    return new Ctor(bytes.buffer, bytes.byteOffset, a.length);
  }
}

/** The checks deferred by the write running now (`withDeferredChecks`), or null outside one. */
let deferredChecks: Set<() => void> | null = null;

/**
 * Runs the integrity check of the file values are about to load from (a large `.keras` member's CRC,
 * computed on a worker thread), which throws if it is damaged: now, waiting for its result, or, inside
 * `withDeferredChecks`, when that write confirms its output. File readers call it before each load.
 */
export function checkSource(check: () => void): void {
  if (deferredChecks) deferredChecks.add(check);
  else check();
}

/**
 * Runs `write`, which must be synchronous, with the sources' checks deferred: values load without
 * waiting for a check still running, `write` calls `confirmSources()` before it renames its output into
 * place, and what it has not confirmed is confirmed when it returns (before `withDeferredChecks` does).
 * When `write` fails, a failed check is the error reported: damage is what broke it.
 */
export function withDeferredChecks<T>(write: () => T): T {
  if (deferredChecks) return write(); // inside another such write, which confirms
  deferredChecks = new Set();
  try {
    const result = write();
    confirmSources();
    return result;
  } catch (e) {
    confirmSources();
    throw e;
  } finally {
    deferredChecks = null;
  }
}

/** Runs every check deferred so far, then throws the first failure (outside `withDeferredChecks`: none). */
export function confirmSources(): void {
  if (!deferredChecks) return;
  const checks = [...deferredChecks];
  deferredChecks.clear();
  let failure: unknown = null;
  for (const check of checks) {
    try {
      check();
    } catch (e) {
      failure ??= e;
    }
  }
  if (failure !== null) throw failure;
}

/**
 * The values of one variable: dtype, shape and a typed array (float16/bfloat16 as Uint16Array bits,
 * bool as Uint8Array). The array may be given as a loader, called once on first access, so a reader can
 * attach every weight without holding two copies of a large model in memory.
 */
export class WeightData {
  private source: TypedArray | (() => TypedArray);
  /** The loader the values came from, kept so that loaded values can be dropped and read again. */
  private readonly loader?: () => TypedArray;

  /**
   * `readInto`, given by file readers, reads the values into a scratch buffer instead of a new array
   * (see `borrow`).
   */
  constructor(
    readonly dtype: DType,
    readonly shape: number[],
    source: TypedArray | (() => TypedArray),
    private readonly readInto?: (scratch: Scratch) => TypedArray,
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
   * The values for one use, without keeping them: the loaded values if there are any, else read into
   * `scratch` where the source can (valid until the scratch's next use), else loaded afresh. Writers
   * use it to write a large model one weight at a time without allocating each weight.
   */
  borrow(scratch?: Scratch): TypedArray {
    if (typeof this.source !== "function") return this.source;
    if (scratch && this.readInto) return this.readInto(scratch);
    return this.source();
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
