import { defineLayer } from "../define.js";
import { checkAxesInBounds, knownDim, singleInput } from "./axes.js";

/**
 * `keras.layers.RMSNormalization(axis=-1, epsilon=1e-6)`: `x * rsqrt(mean(x**2)) * scale`, with one
 * weight `scale` of the sizes of the (sorted) axes.
 */
export const RMSNormalization = defineLayer({
  className: "RMSNormalization",
  defaults: { axis: -1, epsilon: 1e-6 },
  outputs(ctx) {
    const shape = singleInput(ctx);
    checkAxesInBounds(ctx, ctx.config.intList("axis"), shape, ctx.config.get("axis"));
    return [shape];
  },
  weights(ctx) {
    const shape = singleInput(ctx);
    const axes = [...ctx.config.intList("axis")].sort((a, b) => a - b);
    return [{ name: "scale", shape: axes.map((a) => knownDim(ctx, shape, a, "scale")) }];
  },
});
