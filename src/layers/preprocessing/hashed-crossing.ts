import type { TensorSpec } from "../../ir/graph.js";
import { formatShape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";

/**
 * `keras.layers.HashedCrossing(num_bins, output_mode="int", sparse=False, name=None, dtype=None)`: crosses two
 * categorical features (shapes `()`, `(batch,)` or `(batch, 1)`) into `num_bins` bins. Its dtype defaults to
 * int64 for "int" output; the output takes the compute dtype. "one_hot" appends a bins axis (replacing a
 * trailing 1).
 */
export const HashedCrossing = defineLayer({
  className: "HashedCrossing",
  defaults: { output_mode: "int", sparse: false },
  outputs(ctx): TensorSpec[] {
    const numBins = ctx.config.positiveInt("num_bins");
    const mode = ctx.config.oneOf("output_mode", ["int", "one_hot"] as const);
    const shapes = ctx.inputs.map((s) => s.shape);
    const received = shapes.map(formatShape).join(", ");
    // HashedCrossing.compute_output_shape
    if (shapes.length !== 2) ctx.fail(`expects a list of 2 input tensors. Received: input_shape=[${received}]`);
    const [a, b] = shapes as [(number | null)[], (number | null)[]];
    if (a.at(-1) !== b.at(-1)) {
      ctx.fail(`expects the two inputs to have identical shapes. Received: input_shape=[${received}]`);
    }
    // HashedCrossing.call's check: crossing works on scalars per example.
    if (a.length > 2 || (a.length === 2 && a[1] !== 1 && a[1] !== null)) {
      ctx.fail(`expects inputs of shape (), (batch_size,) or (batch_size, 1). Received: input_shape=[${received}]`);
    }
    const dtype = ctx.layer.config.dtype == null && mode === "int" ? "int64" : ctx.computeDtype;
    if (mode === "int") return [{ shape: [...a], dtype }];
    if (a.at(-1) !== 1) return [{ shape: [...a, numBins], dtype }];
    return [{ shape: [...a.slice(0, -1), numBins], dtype }];
  },
});
