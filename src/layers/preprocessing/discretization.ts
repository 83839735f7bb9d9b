import { FormatError } from "../../ir/errors.js";
import type { TensorSpec } from "../../ir/graph.js";
import { defineLayer } from "../define.js";

/**
 * `keras.layers.Discretization(bin_boundaries=None, num_bins=None, epsilon=0.01, output_mode="int",
 * sparse=False, dtype=None)`: buckets values into `len(bin_boundaries) + 1` (or `num_bins`) bins. "int" keeps
 * the shape and outputs int32; "one_hot" adds a bins axis (replacing a trailing 1); "multi_hot"/"count"
 * drop axis 1 and append the bins axis, in the compute dtype. TF 2.3-2.5's experimental layer wrote `bins` for
 * `bin_boundaries` and "binary" for "multi_hot" (and output int64 where Keras 3 outputs int32).
 */
export const Discretization = defineLayer({
  className: "Discretization",
  defaults: { bin_boundaries: null, num_bins: null, epsilon: 0.01, output_mode: "int", sparse: false },
  outputs(ctx): TensorSpec[] {
    const x = ctx.inputs[0];
    if (!x) return ctx.fail("expects one input tensor. Received: none");
    const mode = ctx.config.oneOf("output_mode", ["int", "one_hot", "multi_hot", "count", "binary"] as const);
    const shape = x.shape;
    if (mode === "int") return [{ shape: [...shape], dtype: "int32" }];
    const boundaries = ctx.config.get("bin_boundaries") ?? ctx.config.get("bins");
    let depth: number;
    if (Array.isArray(boundaries)) depth = boundaries.length + 1;
    else if (ctx.config.get("num_bins") != null) depth = ctx.config.int("num_bins");
    else throw new FormatError(`${ctx.where}: needs bin_boundaries or num_bins. Received: neither`);
    // Discretization.compute_output_shape
    let out: (number | null)[];
    if (mode === "one_hot") {
      out = shape.length > 1 && shape.at(-1) === 1 ? [...shape.slice(0, -1), depth] : [...shape, depth];
    } else {
      out = shape.length >= 2 ? [shape[0]!, ...shape.slice(2), depth] : [depth];
    }
    return [{ shape: out, dtype: ctx.computeDtype }];
  },
});
