import { defineLayer } from "../define.js";
import { singleInput } from "../input-spec.js";
import { checkUnitInterval } from "./rate.js";

/** `keras.layers.AlphaDropout(rate, noise_shape=None, seed=None)`: identity at inference, same shape. */
export const AlphaDropout = defineLayer({
  className: "AlphaDropout",
  defaults: { noise_shape: null, seed: null },
  outputs(ctx) {
    checkUnitInterval(ctx, "rate");
    return [singleInput(ctx).shape];
  },
});
