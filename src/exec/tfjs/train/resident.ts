import { type tf as TF, tf } from "../runtime.js";
import { type Column, batchTensors } from "./data.js";

/** Up to this many bytes of inputs are copied into wasm memory once, for the whole of `fit`. */
const RESIDENT_BYTES = 512 * 1024 * 1024;

type TensorInfo = { dataId: object; shape: number[]; dtype: string };
type WasmBackend = {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array;
};

/**
 * The input batches of one `fit`. On the wasm backend the input columns (up to RESIDENT_BYTES) are
 * copied into wasm memory once, and each batch's rows are copied from there into the batch tensor
 * within wasm memory; otherwise a batch is assembled on the host and copied in. Call `dispose` when
 * training ends.
 */
export class InputBatches {
  private readonly resident: TF.Tensor[] | null;
  private readonly backend: WasmBackend | null;

  constructor(private readonly columns: Column[]) {
    const bytes = columns.reduce((s, c) => s + c.data.byteLength, 0);
    const backend = tf.backend() as Partial<WasmBackend> & { wasm?: unknown };
    this.backend = backend.wasm && backend.makeOutput && backend.typedArrayFromHeap ? (backend as WasmBackend) : null;
    this.resident =
      this.backend && bytes <= RESIDENT_BYTES
        ? columns.map((c) => tf.tensor(c.data, [c.data.length / Math.max(1, size(c.shape)), ...c.shape], c.dtype))
        : null;
  }

  /** Rows `[start, end)`, or the rows `order[start:end]`, of every input. */
  batch(start: number, end: number, order?: Int32Array): TF.Tensor[] {
    if (!this.resident || !this.backend) return batchTensors(this.columns, start, end, order);
    const backend = this.backend;
    return this.resident.map((t, i) => {
      const row = size(this.columns[i]!.shape);
      const info = backend.makeOutput([end - start, ...this.columns[i]!.shape], t.dtype);
      // Views of wasm memory, taken after the allocation (which may grow it).
      const out = backend.typedArrayFromHeap(info);
      const all = backend.typedArrayFromHeap(t as unknown as TensorInfo);
      for (let r = start; r < end; r++) {
        const src = order ? order[r]! : r;
        out.set(all.subarray(src * row, (src + 1) * row), (r - start) * row);
      }
      return tf.engine().makeTensorFromTensorInfo(info as never) as TF.Tensor;
    });
  }

  dispose(): void {
    if (this.resident) tf.dispose(this.resident);
  }
}

function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
