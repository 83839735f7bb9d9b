import { defineLayer } from "../define.js";
import { singleInput } from "../input-spec.js";
import { checkUnitInterval } from "./rate.js";

/** `keras.layers.GaussianDropout(rate, seed=None)`: identity at inference, same shape. */
export const GaussianDropout = defineLayer({
  className: "GaussianDropout",
  defaults: { seed: null },
  outputs(ctx) {
    checkUnitInterval(ctx, "rate");
    return [singleInput(ctx).shape];
  },
});
