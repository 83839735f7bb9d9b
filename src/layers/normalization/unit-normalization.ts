import { defineLayer } from "../define.js";
import { checkAxesInBounds, singleInput } from "./axes.js";

/** `keras.layers.UnitNormalization(axis=-1)`: L2-normalizes along `axis` (an int or a list); no weights. */
export const UnitNormalization = defineLayer({
  className: "UnitNormalization",
  defaults: { axis: -1 },
  outputs(ctx) {
    const shape = singleInput(ctx);
    checkAxesInBounds(ctx, ctx.config.intList("axis"), shape, ctx.config.get("axis"));
    return [shape];
  },
});
