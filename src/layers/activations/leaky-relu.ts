import { defineLayer } from "../define.js";
import { singleInput } from "../input-spec.js";

/** `keras.layers.LeakyReLU(negative_slope=0.3)`; Keras 2 configs name it `alpha`. Elementwise. */
export const LeakyReLU = defineLayer({
  className: "LeakyReLU",
  defaults: { negative_slope: 0.3 },
  outputs: (ctx) => [singleInput(ctx).shape],
});
