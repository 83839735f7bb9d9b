import { defineLayer } from "../define.js";
import { singleInput } from "../input-spec.js";

/** `keras.layers.RepeatVector(n)`: `(batch, features)` -> `(batch, n, features)`. */
export const RepeatVector = defineLayer({
  className: "RepeatVector",
  defaults: {},
  outputs(ctx) {
    const n = ctx.config.positiveInt("n");
    const x = singleInput(ctx, { ndim: 2 });
    return [[x.shape[0] ?? null, n, x.shape[1] ?? null]];
  },
});
