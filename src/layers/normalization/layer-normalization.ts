import { defineLayer } from "../define.js";
import { canonicalAxes, knownDim, singleInput } from "./axes.js";

/**
 * `keras.layers.LayerNormalization(axis=-1, epsilon=1e-3, center=True, scale=True, beta_initializer=
 * "zeros", gamma_initializer="ones", ...)`; the deprecated `rms_scaling=True` keeps gamma and drops
 * beta. `gamma` and `beta` have the sizes of the (sorted, canonical) axes.
 */
export const LayerNormalization = defineLayer({
  className: "LayerNormalization",
  defaults: {
    axis: -1,
    epsilon: 1e-3,
    center: true,
    scale: true,
    rms_scaling: false,
    beta_initializer: "zeros",
    gamma_initializer: "ones",
    beta_regularizer: null,
    gamma_regularizer: null,
    beta_constraint: null,
    gamma_constraint: null,
  },
  outputs(ctx) {
    const shape = singleInput(ctx);
    const axes = canonicalAxes(ctx, ctx.config.intList("axis"), shape);
    if (new Set(axes).size !== axes.length)
      ctx.fail(`Duplicate axes are not allowed. Received: axis=${JSON.stringify(ctx.config.get("axis"))}`);
    return [shape];
  },
  weights(ctx) {
    const shape = singleInput(ctx);
    const axes = canonicalAxes(ctx, ctx.config.intList("axis"), shape).sort((a, b) => a - b);
    const param = axes.map((a) => knownDim(ctx, shape, a, "gamma and beta"));
    const rms = ctx.config.get("rms_scaling") === true;
    return [
      (ctx.config.bool("scale") || rms) && { name: "gamma", shape: param },
      ctx.config.bool("center") && !rms && { name: "beta", shape: param },
    ];
  },
});
