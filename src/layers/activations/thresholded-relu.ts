import { defineLayer } from "../define.js";
import { singleInput } from "../input-spec.js";

/**
 * Keras 2's `ThresholdedReLU(theta=1.0)` (Keras 3 keeps it only as `keras._legacy.layers.ThresholdedReLU`):
 * elementwise `x if x > theta else 0`.
 */
export const ThresholdedReLU = defineLayer({
  className: "ThresholdedReLU",
  defaults: { theta: 1.0 },
  outputs: (ctx) => [singleInput(ctx).shape],
});
