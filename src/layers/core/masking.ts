import { defineLayer } from "../define.js";
import { singleInput } from "../input-spec.js";

/** `keras.layers.Masking(mask_value=0.0)`: zeroes masked timesteps; same shape, compute dtype. */
export const Masking = defineLayer({
  className: "Masking",
  defaults: { mask_value: 0.0 },
  outputs: (ctx) => [singleInput(ctx).shape],
});
