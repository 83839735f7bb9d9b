import { defineLayer } from "../define.js";

/**
 * `keras.layers.Dense(units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
 * bias_initializer="zeros", ..., lora_rank=None)`: applies to the last axis of an input of rank >= 2.
 */
export const Dense = defineLayer({
  className: "Dense",
  defaults: {
    activation: "linear",
    use_bias: true,
    kernel_initializer: "glorot_uniform",
    bias_initializer: "zeros",
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
    quantization_config: null,
  },
  outputs(ctx) {
    const [x] = ctx.inputs;
    if (!x || x.shape.length < 2)
      ctx.fail(`expects an input of rank >= 2. Received: shape ${JSON.stringify(x?.shape)}`);
    return [[...x.shape.slice(0, -1), ctx.config.positiveInt("units")]];
  },
  weights(ctx) {
    const last = ctx.inputs[0]!.shape.at(-1);
    if (last === null || last === undefined) {
      ctx.fail("the last dimension of the input must be known to build the kernel. Received: None");
    }
    const units = ctx.config.positiveInt("units");
    return [{ name: "kernel", shape: [last, units] }, ctx.config.bool("use_bias") && { name: "bias", shape: [units] }];
  },
});
