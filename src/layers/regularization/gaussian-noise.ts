import { defineLayer } from "../define.js";
import { singleInput } from "../input-spec.js";
import { checkUnitInterval } from "./rate.js";

/** `keras.layers.GaussianNoise(stddev, seed=None)`: identity at inference, same shape. */
export const GaussianNoise = defineLayer({
  className: "GaussianNoise",
  defaults: { seed: null },
  outputs(ctx) {
    checkUnitInterval(ctx, "stddev");
    return [singleInput(ctx).shape];
  },
});
