import * as tf from "@tensorflow/tfjs";

type TensorInfo = { dataId: object; shape: number[]; dtype: "float32" | "int32" };
type Backend = {
  readSync(dataId: object): ArrayLike<number>;
  /** The wasm backend's (shape first). */
  makeOutput?(shape: number[], dtype: string, offset?: number, values?: ArrayLike<number>): TensorInfo;
  /** The CPU backend's. */
  makeTensorInfo?(shape: number[], dtype: string, values: ArrayLike<number>): TensorInfo;
  wasm?: unknown;
};

/**
 * UnsortedSegmentSum (the gradient of Gather, so of every Embedding) in one pass over the rows. The
 * wasm backend has no such kernel, and the CPU backend's builds one mask per segment (a 10,000-word
 * embedding takes minutes per step); this one takes microseconds and gives the same sums. Ids outside
 * `[0, numSegments)` are dropped, as TensorFlow does.
 */
function unsortedSegmentSum(args: {
  inputs: Record<string, TensorInfo>;
  backend: Backend;
  attrs: Record<string, unknown>;
}): TensorInfo {
  const { x, segmentIds } = args.inputs;
  const numSegments = args.attrs.numSegments as number;
  const backend = args.backend;
  const values = backend.readSync(x!.dataId);
  const ids = backend.readSync(segmentIds!.dataId);
  const idCount = segmentIds!.shape.reduce((a, b) => a * b, 1);
  const row = idCount === 0 ? 0 : values.length / idCount;
  const out = x!.dtype === "int32" ? new Int32Array(numSegments * row) : new Float32Array(numSegments * row);
  for (let i = 0; i < idCount; i++) {
    const s = ids[i]!;
    if (s < 0 || s >= numSegments) continue;
    const src = i * row;
    const dst = s * row;
    for (let j = 0; j < row; j++) out[dst + j] += values[src + j]!;
  }
  const shape = [numSegments, ...x!.shape.slice(segmentIds!.shape.length)];
  return backend.wasm
    ? backend.makeOutput!(shape, x!.dtype, undefined, out)
    : backend.makeTensorInfo!(shape, x!.dtype, out);
}

let installed = false;

/** Registers the one-pass UnsortedSegmentSum for the wasm and CPU backends (once per process). */
export function installSegmentSum(): void {
  if (installed) return;
  installed = true;
  for (const backendName of ["wasm", "cpu"]) {
    if (tf.getKernel("UnsortedSegmentSum", backendName)) tf.unregisterKernel("UnsortedSegmentSum", backendName);
    tf.registerKernel({ kernelName: "UnsortedSegmentSum", backendName, kernelFunc: unsortedSegmentSum as never });
  }
}
