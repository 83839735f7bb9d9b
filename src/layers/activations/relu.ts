import { defineLayer } from "../define.js";
import { singleInput } from "../input-spec.js";

/** `keras.layers.ReLU(max_value=None, negative_slope=0.0, threshold=0.0)`: elementwise. */
export const ReLU = defineLayer({
  className: "ReLU",
  defaults: { max_value: null, negative_slope: 0.0, threshold: 0.0 },
  outputs: (ctx) => [singleInput(ctx).shape],
});
