import { type Scratch, type TypedArray, TYPED_ARRAYS } from "../../../ir/weights.js";

/**
 * A constant tensor of the imported graph (an initializer, a Constant node's value, or a folded
 * result): NumPy dtype name, dims and values in C order. float16 / bfloat16 hold their bits (Uint16Array).
 */
export interface Const {
  dtype: string;
  dims: number[];
  data: TypedArray;
  /**
   * Reads the values afresh without keeping them: set on initializers kept in an external data file,
   * whose `data` is read from the file on first use (so a model larger than memory can be restored one
   * weight at a time).
   */
  read?: () => TypedArray;
  /** Like `read`, into the scratch buffer's "read" slot (valid until its next use). */
  readInto?: (scratch: Scratch) => TypedArray;
}

/**
 * A constant whose values are read by `read` when first used, and kept from then on; `readInto`
 * reads them into a scratch buffer instead.
 */
export function lazyConst(
  dtype: string,
  dims: number[],
  read: () => TypedArray,
  readInto: (scratch: Scratch) => TypedArray,
): Const {
  let kept: TypedArray | null = null;
  return {
    dtype,
    dims,
    read: () => kept ?? read(),
    readInto: (scratch) => kept ?? readInto(scratch),
    get data() {
      return (kept ??= read());
    },
  };
}

export function sizeOf(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** An empty typed array of the dtype's kind (undefined for dtypes without one, e.g. string). */
export function arrayFor(dtype: string, n: number): TypedArray | undefined {
  const Ctor = TYPED_ARRAYS[dtype];
  return Ctor ? new Ctor(n) : undefined;
}

export function isFloatDtype(dtype: string): boolean {
  return dtype.startsWith("float") || dtype === "bfloat16";
}

/** IEEE half-precision bits → number. */
function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** The values as JavaScript numbers (int64 beyond 2^53 lose precision; they only ever hold sizes here). */
export function numbers(c: Const): number[] {
  const d = c.data;
  if (c.dtype === "float16") return Array.from(d as Uint16Array, halfToNumber);
  if (c.dtype === "bfloat16") {
    const bits = new Uint32Array(d.length);
    (d as Uint16Array).forEach((b, i) => (bits[i] = b << 16));
    return Array.from(new Float32Array(bits.buffer));
  }
  return Array.from(d as ArrayLike<number | bigint>, (v) => Number(v));
}

/** The values as float32 (what Keras weights hold); shares the array when it already is one. */
export function float32Of(c: Const): Float32Array {
  if (c.data instanceof Float32Array) return c.data;
  return Float32Array.from(numbers(c));
}

/** A constant of `dtype` from numbers. */
export function constFrom(dtype: string, dims: number[], values: ArrayLike<number>): Const {
  const out = arrayFor(dtype, values.length);
  if (!out) throw new RangeError(`no typed array for dtype '${dtype}'`);
  if (out instanceof BigInt64Array || out instanceof BigUint64Array) {
    for (let i = 0; i < values.length; i++) out[i] = BigInt(Math.trunc(values[i]!));
  } else if (dtype === "float16" || dtype === "bfloat16") {
    return constFrom("float32", dims, values);
  } else {
    for (let i = 0; i < values.length; i++) (out as Float32Array)[i] = values[i]!;
  }
  return { dtype, dims, data: out };
}

export function int64Const(values: number[], dims: number[] = [values.length]): Const {
  return constFrom("int64", dims, values);
}

export function float32Const(values: ArrayLike<number>, dims: number[]): Const {
  return { dtype: "float32", dims, data: Float32Array.from(values) };
}

/** The single value of a one-element constant, else undefined. */
export function scalarOf(c: Const | undefined): number | undefined {
  if (!c || sizeOf(c.dims) !== 1) return undefined;
  return numbers(c)[0];
}

/** True when every element equals `x`. */
export function allEqual(c: Const, x: number): boolean {
  return numbers(c).every((v) => v === x);
}

/** Short text of a constant for messages: dims and the first values. */
export function describeConst(c: Const): string {
  const vals = numbers(c);
  const head = vals.slice(0, 6).map((v) => String(Number(v.toPrecision(6))));
  return `${c.dtype}[${c.dims.join(", ")}] (${head.join(", ")}${vals.length > 6 ? ", ..." : ""})`;
}
