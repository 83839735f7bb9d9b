import type { TypedArray } from "../../ir/weights.js";
import type { WeightData } from "../../ir/weights.js";
import { type StridedTranspose, inKernelMemory, transposeStrided } from "../transpose/transpose.js";

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

/**
 * `numpy.transpose(data.reshape(shape), perm)` in C order, into `out` when given (a scratch array of
 * the same length, so that a writer transposing one weight after another does not allocate each time).
 * Elements are moved as bits: float NaN payloads survive. Transposes of 4-byte elements that are
 * (batches of) matrix transposes run in WebAssembly SIMD where it is available (2–8× the JS loops on
 * ResNet50's kernels, tools/bench/transpose.ts).
 */
export function transposeData<T extends TypedArray>(data: T, givenShape: number[], givenPerm: number[], out?: T): T {
  out ??= new (data.constructor as new (n: number) => T)(data.length);
  if (data.length === 0) return out;
  // Axes of size 1 do not move data: without them a 1×1 kernel's transpose is a matrix transpose.
  const { shape, perm } = withoutUnitAxes(givenShape, givenPerm);
  // What is left in order (a [C] scale broadcast as [1, C, 1, 1], say) moves nothing: a copy of the bits.
  if (perm.every((p, i) => p === i)) {
    out.set(data as never);
    return out;
  }
  const strided = stridedTranspose(shape, perm);
  if (strided && transposeStrided(data, out, strided)) return out;
  // A float32 read in JS is widened to a double, which sets a signalling NaN's quiet bit: move int32s.
  if (data instanceof Float32Array) transposeInJs(int32View(data), int32View(out as Float32Array), shape, perm);
  else transposeInJs(data, out, shape, perm);
  return out;
}

/**
 * `transposeData(data, shape, perm)` handed to `emit` in pieces, in output order, each a view of a buffer
 * `pieceOut(n)` gives (n elements, at most about `pieceElements` or one output row): so a writer needs
 * memory for the source and one piece, not for a second copy of the whole weight, and writes the piece
 * while it is in cache. Only for transposes the WebAssembly kernel runs in place (a batch of matrix
 * transposes, `data` and the pieces in one KernelScratch's memory); false, having emitted nothing,
 * for the others.
 */
export function transposeInPieces(
  data: Float32Array,
  givenShape: number[],
  givenPerm: number[],
  pieceElements: number,
  pieceOut: (elements: number) => Float32Array,
  emit: (piece: Float32Array) => void,
): boolean {
  const { shape, perm } = withoutUnitAxes(givenShape, givenPerm);
  const plan = perm.every((p, i) => p === i) ? null : stridedTranspose(shape, perm);
  if (!plan || data.length === 0) return false;
  // The output's outermost axis: the batch where it leads the output ((B, R, C) → (B, C, R)), else the
  // columns ((R, C) → (C, R) and (R, B, C) → (C, B, R)). A piece is a run of it.
  const byBatch = plan.dstBatch > plan.dstRow;
  const [count, unit, srcStep] = byBatch ? [plan.batch, plan.dstBatch, plan.srcBatch] : [plan.cols, plan.dstRow, 1];
  const per = Math.max(1, Math.floor(pieceElements / unit));
  const out = pieceOut(Math.min(count, per) * unit);
  if (!inKernelMemory(data, out)) return false;
  for (let at = 0; at < count; at += per) {
    const n = Math.min(per, count - at);
    const piece = out.subarray(0, n * unit);
    const part = byBatch ? { ...plan, batch: n } : { ...plan, cols: n };
    if (!transposeStrided(data.subarray(at * srcStep), piece, part))
      throw new Error("the transpose kernel refused a piece");
    emit(piece);
  }
  return true;
}

function int32View(a: Float32Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.length);
}

/** The JS loops: the tiled matrix and conv-kernel transposes, else an odometer over the output (O(1) per element). */
function transposeInJs(data: TypedArray, out: TypedArray, shape: number[], perm: number[]): void {
  const rank = shape.length;
  if (rank === 4 && perm[0] === 3 && perm[1] === 2 && perm[2] === 0 && perm[3] === 1) {
    hwioToOihw(data, out, shape);
    return;
  }
  if (rank === 4 && perm[0] === 2 && perm[1] === 3 && perm[2] === 1 && perm[3] === 0) {
    oihwToHwio(data, out, shape);
    return;
  }
  // A swap of leading and trailing axes, perm = [k, ..., r-1, 0, ..., k-1], is a matrix transpose.
  const lead = perm[0]!;
  if (rank >= 2 && lead > 0 && perm.every((p, i) => p === (lead + i) % rank)) {
    const rows = shape.slice(0, lead).reduce((a, b) => a * b, 1);
    transpose2d(data, out, rows, data.length / rows);
    return;
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
}

/** The shape and permutation with the axes of size 1 left out (the others renumbered in order). */
function withoutUnitAxes(shape: number[], perm: number[]): { shape: number[]; perm: number[] } {
  if (!shape.includes(1)) return { shape, perm };
  const kept = shape.map((d, i) => (d !== 1 ? i : -1)).filter((i) => i >= 0);
  const renumber = new Map(kept.map((axis, i) => [axis, i]));
  return { shape: kept.map((a) => shape[a]!), perm: perm.filter((p) => shape[p] !== 1).map((p) => renumber.get(p)!) };
}

/**
 * The transpose as a batch of matrix transposes, when it is one: after merging the axes that stay
 * next to each other, (R, C) → (C, R); (R, B, C) → (C, B, R), a conv kernel (H·W, I, O) ↔ (O, I, H·W);
 * or (B, R, C) → (B, C, R). Null for the others (and for no move at all).
 */
function stridedTranspose(shape: number[], perm: number[]): StridedTranspose | null {
  // Runs of input axes that stay in order, as [first axis, size] in output order.
  const runs: [number, number][] = [];
  perm.forEach((p, i) => {
    if (i > 0 && p === perm[i - 1]! + 1) runs.at(-1)![1] *= shape[p]!;
    else runs.push([p, shape[p]!]);
  });
  const order = runs.map(([axis]) => axis);
  const sizes = [...runs].sort((a, b) => a[0] - b[0]).map(([, size]) => size);
  const key = order.map((axis) => order.filter((a) => a < axis).length).join("");
  if (key === "10") {
    const [rows, cols] = sizes as [number, number];
    return { batch: 1, rows, cols, srcBatch: 0, srcRow: cols, dstBatch: 0, dstRow: rows };
  }
  if (key === "210") {
    const [rows, batch, cols] = sizes as [number, number, number];
    return { batch, rows, cols, srcBatch: cols, srcRow: batch * cols, dstBatch: rows, dstRow: batch * rows };
  }
  if (key === "021") {
    const [batch, rows, cols] = sizes as [number, number, number];
    return { batch, rows, cols, srcBatch: rows * cols, srcRow: cols, dstBatch: rows * cols, dstRow: rows };
  }
  return null;
}

/** (rows, cols) → (cols, rows) in square tiles, so that both the reads and the writes stay in cache. */
function transpose2d(data: TypedArray, out: TypedArray, rows: number, cols: number): void {
  const src = data as unknown as number[];
  const dst = out as unknown as number[];
  const T = 32;
  for (let r0 = 0; r0 < rows; r0 += T) {
    const r1 = Math.min(rows, r0 + T);
    for (let c0 = 0; c0 < cols; c0 += T) {
      const c1 = Math.min(cols, c0 + T);
      for (let c = c0; c < c1; c++) {
        for (let r = r0, d = c * rows + r0, s = r0 * cols + c; r < r1; r++, s += cols) dst[d++] = src[s]!;
      }
    }
  }
}

/** Tile sizes of the conv-kernel transposes: a tile's source rows and destination runs stay in L1. */
const IN_TILE = 8;
const OUT_TILE = 64;

/**
 * A conv kernel (H, W, I, O) → (O, I, H, W), the exporter's most common transpose, in tiles of input
 * and output channels: within a tile each output channel's (I, H·W) run is written in order while the
 * tile's source rows stay in cache (1.4× the simpler blocked loop and 1.9× the odometer, measured on
 * ResNet50's kernels).
 */
function hwioToOihw(data: TypedArray, out: TypedArray, shape: number[]): void {
  const [h, w, ci, co] = shape as [number, number, number, number];
  const hw = h * w;
  const rowStride = ci * co;
  const src = data as unknown as number[];
  const dst = out as unknown as number[];
  for (let i0 = 0; i0 < ci; i0 += IN_TILE) {
    const i1 = Math.min(ci, i0 + IN_TILE);
    for (let o0 = 0; o0 < co; o0 += OUT_TILE) {
      const o1 = Math.min(co, o0 + OUT_TILE);
      for (let o = o0; o < o1; o++) {
        const row = o * ci * hw;
        for (let i = i0; i < i1; i++) {
          const d = row + i * hw;
          for (let p = 0, s = i * co + o; p < hw; p++, s += rowStride) dst[d + p] = src[s]!;
        }
      }
    }
  }
}

/** The inverse of `hwioToOihw`: (O, I, H, W) → (H, W, I, O), tiled the same way. */
function oihwToHwio(data: TypedArray, out: TypedArray, shape: number[]): void {
  const [co, ci, h, w] = shape as [number, number, number, number];
  const hw = h * w;
  const rowStride = ci * co;
  const src = data as unknown as number[];
  const dst = out as unknown as number[];
  for (let i0 = 0; i0 < ci; i0 += IN_TILE) {
    const i1 = Math.min(ci, i0 + IN_TILE);
    for (let o0 = 0; o0 < co; o0 += OUT_TILE) {
      const o1 = Math.min(co, o0 + OUT_TILE);
      for (let o = o0; o < o1; o++) {
        for (let i = i0, s = (o * ci + i0) * hw; i < i1; i++) {
          for (let p = 0, d = i * co + o; p < hw; p++, d += rowStride) dst[d] = src[s++]!;
        }
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
