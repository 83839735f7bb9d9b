import type { CallContext } from "../../ir/kind.js";
import { formatShape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";

/**
 * `keras.layers.Normalization(axis=-1, mean=None, variance=None, invert=False)`: `(x - mean) / sqrt(variance)`
 * with one statistic per index of the kept `axis` (an int, a list, or null for a single scalar). Without a
 * `mean`/`variance` in the config, `build` creates the adapted statistics "mean", "variance" (the kept
 * axes' shape) and "count" (a scalar integer), all non-trainable; Keras 2 creates the same three.
 */
export const Normalization = defineLayer({
  className: "Normalization",
  defaults: { axis: -1, mean: null, variance: null, invert: false },
  outputs(ctx) {
    keptAxes(ctx);
    return [[...ctx.inputs[0]!.shape]];
  },
  weights(ctx) {
    if (ctx.config.get("mean") != null) return [];
    const x = ctx.inputs[0]!.shape;
    const shape = keptAxes(ctx).map((a) => x[a]!);
    return [
      { name: "mean", shape, trainable: false },
      { name: "variance", shape, trainable: false },
      // dtype="int": int64 under TensorFlow (Keras 2 too), int32 under JAX and torch.
      // dtype="int": the backend default int — int32 under torch/jax (the reference fixtures), int64 under TF.
      { name: "count", shape: [], dtype: "int32", trainable: false },
    ];
  },
});

/** The kept axes, non-negative and sorted, checked against the input like Normalization.build. */
function keptAxes(ctx: CallContext): number[] {
  const x = ctx.inputs[0];
  if (!x) return ctx.fail("expects one input tensor. Received: none");
  const axis = ctx.config.get("axis") == null ? [] : ctx.config.intList("axis");
  const ndim = x.shape.length;
  if (axis.some((a) => a < -ndim || a >= ndim)) {
    ctx.fail(
      `all axis values must be in the range [-ndim, ndim). Received: ndim=${ndim}, axis=${JSON.stringify(axis)}`,
    );
  }
  const kept = axis.map((a) => (a < 0 ? a + ndim : a)).sort((a, b) => a - b);
  for (const d of kept) {
    if (x.shape[d] === null) {
      ctx.fail(
        `all axis values to be kept must have a known size. Received: axis=${JSON.stringify(axis)}, ` +
          `inputs.shape=${formatShape(x.shape)}, with an unknown size at index ${d}`,
      );
    }
  }
  return kept;
}
