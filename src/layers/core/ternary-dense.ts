import { defineLayer } from "../define.js";
import { singleInput } from "../input-spec.js";

/**
 * `keras.layers.TernaryDense(units, threshold=None, activation=None, use_bias=True, ...)`: a Dense whose
 * kernel is ternarized in the forward pass; same shapes and variables as Dense.
 */
export const TernaryDense = defineLayer({
  className: "TernaryDense",
  defaults: {
    threshold: null,
    activation: "linear",
    use_bias: true,
    kernel_initializer: "glorot_uniform",
    bias_initializer: "zeros",
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
  },
  outputs(ctx) {
    const x = singleInput(ctx, { minNdim: 2 });
    return [[...x.shape.slice(0, -1), ctx.config.positiveInt("units")]];
  },
  weights(ctx) {
    const units = ctx.config.positiveInt("units");
    return [
      { name: "kernel", shape: [singleInput(ctx).shape.at(-1), units] },
      ctx.config.bool("use_bias") && { name: "bias", shape: [units] },
    ];
  },
});
