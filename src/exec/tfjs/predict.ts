import type { NdArray } from "../../formats/npy/array.js";
import { type tf as TF, tf } from "./runtime.js";
import { type Column, batchTensors } from "./train/data.js";
import { batchBounds } from "./train/fit.js";

/** Keras's `predict`: the model in inference mode over batches, one array per output. */
export function predictArrays(model: TF.LayersModel, x: Column[], batchSize: number): NdArray[] {
  const n =
    x[0]!.data.length /
    Math.max(
      1,
      x[0]!.shape.reduce((a, b) => a * b, 1),
    );
  const outputs: { shape: number[]; dtype: string; parts: (Float32Array | Int32Array)[] }[] = [];
  for (const [start, end] of batchBounds(n, batchSize)) {
    const xs = batchTensors(x, start, end);
    const ys = tf.tidy(() => {
      const out = model.apply(xs.length === 1 ? xs[0]! : xs, { training: false }) as TF.Tensor | TF.Tensor[];
      return Array.isArray(out) ? out : [out];
    });
    ys.forEach((y, i) => {
      outputs[i] ??= { shape: y.shape.slice(1), dtype: y.dtype === "int32" ? "int32" : "float32", parts: [] };
      outputs[i]!.parts.push(y.dataSync() as Float32Array | Int32Array);
    });
    tf.dispose([...xs, ...ys]);
  }
  return outputs.map((o) => {
    const size = o.parts.reduce((s, p) => s + p.length, 0);
    const data = o.dtype === "int32" ? new Int32Array(size) : new Float32Array(size);
    let at = 0;
    for (const p of o.parts) {
      data.set(p, at);
      at += p.length;
    }
    return { dtype: o.dtype, shape: [n, ...o.shape], data };
  });
}
