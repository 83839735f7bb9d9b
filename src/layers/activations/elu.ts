import { defineLayer } from "../define.js";
import { singleInput } from "../input-spec.js";

/** `keras.layers.ELU(alpha=1.0)`: elementwise. */
export const ELU = defineLayer({
  className: "ELU",
  defaults: { alpha: 1.0 },
  outputs: (ctx) => [singleInput(ctx).shape],
});
