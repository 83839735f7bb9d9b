import type { Scratch, TypedArray, WeightData } from "../../ir/weights.js";
import type { OnnxTensor } from "./model.js";
import { DataType, ELEMENT_BYTES } from "./model.js";
import { float32Values, transposeData, transposeInPieces } from "./tensor-data.js";

/**
 * Where a deferred initializer's values come from: a weight, with its axes of size > 1 laid out in the
 * order `axes` (the weight transposed; the initializer's dims may be any reshape of that). The Keras
 * metadata uses it to point the weight at its initializer without comparing values.
 */
export interface TensorOrigin {
  weight: WeightData;
  axes: number[];
}

/**
 * An initializer whose values are computed when they are needed: the exporter lays weights out this
 * way so that writing a model holds one weight at a time (the external-data writer `load`s each, writes
 * it and drops it). `data` computes and keeps the values (for callers that read them more than once);
 * `load` computes them without keeping them; `release` drops kept values.
 */
export class DeferredTensor implements OnnxTensor {
  private kept: TypedArray | null = null;

  constructor(
    public name: string,
    readonly dataType: number,
    readonly dims: number[],
    private readonly compute: (scratch?: Scratch) => TypedArray,
    readonly origin?: TensorOrigin,
    /** For a weight laid out by a transpose: how, so a writer can lay it out in pieces. */
    readonly transposed?: TransposedWeight,
  ) {}

  get data(): TypedArray {
    return (this.kept ??= this.load());
  }

  get loaded(): boolean {
    return this.kept !== null;
  }

  /** The values, computed (or the kept ones) without keeping them; in `scratch` when given. */
  load(scratch?: Scratch): TypedArray {
    return this.kept ?? this.compute(scratch);
  }

  release(): void {
    this.kept = null;
  }
}

/** A weight's values as float32 (read into a scratch's "read" memory where its reader can) and the transpose that lays them out. */
export interface TransposedWeight {
  read: (scratch?: Scratch) => Float32Array;
  shape: number[];
  perm: number[];
}

/**
 * A tensor's values for writing, computing a deferred one's without keeping them; values that do not
 * fill the dims (a weight of another shape than its layer declares) are refused.
 */
export function tensorValues(t: OnnxTensor, scratch?: Scratch): TypedArray {
  return checkedSize(t, t instanceof DeferredTensor ? t.load(scratch) : t.data);
}

function checkedSize<T extends TypedArray>(t: OnnxTensor, values: T): T {
  const size = t.dims.reduce((a, b) => a * b, 1);
  if (values.length !== size) {
    throw new RangeError(`initializer '${t.name}' has ${values.length} values for dims (${t.dims.join(", ")})`);
  }
  return values;
}

/**
 * A tensor's bytes for writing, handed to `write` in order: a weight laid out by a transpose is read into
 * the scratch's "read" memory and laid out piece by piece (about `pieceBytes` each) in the start of its
 * "layout" memory (transposeInPieces), so that only that much of it is ever touched and each piece is
 * written while in cache; any other tensor whole, as `tensorValues` gives it.
 */
export function writeTensorBytes(
  t: OnnxTensor,
  scratch: Scratch,
  pieceBytes: number,
  write: (bytes: Uint8Array) => void,
): void {
  const bytesOf = (a: TypedArray) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (!(t instanceof DeferredTensor) || !t.transposed || t.loaded) {
    write(bytesOf(tensorValues(t, scratch)));
    return;
  }
  const { read, shape, perm } = t.transposed;
  const data = checkedSize(t, read(scratch));
  const layout = (n: number) => {
    const bytes = scratch.bytes("layout", n * 4);
    return new Float32Array(bytes.buffer, bytes.byteOffset, n);
  };
  if (!transposeInPieces(data, shape, perm, pieceBytes / 4, layout, (piece) => write(bytesOf(piece)))) {
    write(bytesOf(transposeData(data, shape, perm, layout(data.length))));
  }
}

/** A tensor's size in bytes, known without computing a deferred one's values. */
export function tensorByteLength(t: OnnxTensor): number {
  if (!(t instanceof DeferredTensor) || t.loaded) return t.data.byteLength;
  return t.dims.reduce((a, b) => a * b, 1) * (ELEMENT_BYTES[t.dataType] ?? 1);
}

/**
 * Runs `read` on a weight's values, then drops them again when they were not loaded before (so a
 * lazily read model stays unloaded once its initializers are written).
 */
export function withWeight<T>(w: WeightData, read: (values: Float32Array) => T): T {
  const wasLoaded = w.loaded;
  try {
    return read(float32Values(w));
  } finally {
    if (!wasLoaded) w.release();
  }
}

/**
 * A weight as a float32 initializer, transposed by `perm` (none: as stored) and given `dims` (default:
 * the transposed shape), computed when written. Float32 weights record their origin.
 */
export function weightTensor(name: string, w: WeightData, perm?: number[], dims?: number[]): DeferredTensor {
  const order = perm ?? w.shape.map((_, i) => i);
  const moves = !order.every((p, i) => p === i);
  // Float32 weights are read into the scratch buffer where their reader can; others are converted.
  const read = (scratch?: Scratch) =>
    w.dtype === "float32" ? (w.borrow(scratch) as Float32Array) : withWeight(w, (x) => x);
  const compute = (scratch?: Scratch) => {
    const v = read(scratch);
    return moves ? transposeData(v, w.shape, order, scratch?.like("layout", v)) : v;
  };
  const origin = w.dtype === "float32" ? { weight: w, axes: order.filter((a) => w.shape[a] !== 1) } : undefined;
  const transposed = moves ? { read, shape: w.shape, perm: order } : undefined;
  return new DeferredTensor(name, DataType.FLOAT, dims ?? order.map((p) => w.shape[p]!), compute, origin, transposed);
}

/**
 * `t` transposed by `perm` after being read with `shape` (a reshape of its dims, e.g. padded with
 * leading 1s), computed when needed; the origin follows the transpose.
 */
export function transposedTensor(name: string, t: OnnxTensor, shape: number[], perm: number[]): OnnxTensor {
  const dims = perm.map((a) => shape[a]!);
  const compute = (scratch?: Scratch) => {
    const values = tensorValues(t);
    return transposeData(values, shape, perm, scratch?.like("layout", values));
  };
  if (!(t instanceof DeferredTensor)) return { name, dataType: t.dataType, dims, data: compute() };
  return new DeferredTensor(name, t.dataType, dims, compute, transposedOrigin(t.origin, shape, perm));
}

/** The origin of `shape`-shaped data (whose non-unit axes are `origin.axes` in order) transposed by `perm`. */
function transposedOrigin(origin: TensorOrigin | undefined, shape: number[], perm: number[]): TensorOrigin | undefined {
  if (!origin) return undefined;
  const nonUnit = shape.map((d, i) => (d !== 1 ? i : -1)).filter((i) => i >= 0);
  const sizes = origin.axes.map((a) => origin.weight.shape[a]!);
  if (nonUnit.length !== sizes.length || nonUnit.some((a, i) => shape[a] !== sizes[i])) return undefined;
  const weightAxisOf = new Map(nonUnit.map((a, i) => [a, origin.axes[i]!]));
  return { weight: origin.weight, axes: perm.filter((a) => shape[a] !== 1).map((a) => weightAxisOf.get(a)!) };
}

/** A tensor computed from another's values when needed (no origin: the values are rearranged). */
export function derivedTensor(
  name: string,
  from: OnnxTensor,
  dims: number[],
  derive: (values: TypedArray) => TypedArray,
): OnnxTensor {
  const compute = () => derive(tensorValues(from));
  if (!(from instanceof DeferredTensor)) return { name, dataType: from.dataType, dims, data: compute() };
  return new DeferredTensor(name, from.dataType, dims, compute);
}
