import type { TensorSpec } from "../../ir/graph.js";
import { defineLayer } from "../define.js";

/**
 * `keras.layers.Hashing(num_bins, mask_value=None, salt=None, output_mode="int", sparse=False)`: hashes
 * values into `num_bins` bins. Its dtype defaults to int64 for "int" output and float32 otherwise; the output
 * takes the layer's dtype. "int" keeps the shape; the other modes (one_hot included, per Keras's
 * `compute_output_spec`) fold the last axis into a `num_bins` axis.
 */
export const Hashing = defineLayer({
  className: "Hashing",
  defaults: { mask_value: null, salt: null, output_mode: "int", sparse: false },
  outputs(ctx): TensorSpec[] {
    const x = ctx.inputs[0];
    if (!x) return ctx.fail("expects one input tensor. Received: none");
    const numBins = ctx.config.positiveInt("num_bins");
    const mode = ctx.config.oneOf("output_mode", ["int", "one_hot", "multi_hot", "count"] as const);
    const dtype = ctx.layer.config.dtype == null ? (mode === "int" ? "int64" : "float32") : ctx.variableDtype;
    if (mode === "int") return [{ shape: [...x.shape], dtype }];
    return [{ shape: [...x.shape.slice(0, -1), numBins], dtype }];
  },
});
