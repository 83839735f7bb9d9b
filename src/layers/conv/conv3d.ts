import { defineLayer } from "../define.js";
import { convDefaults, convOutputs, convWeights } from "./base-conv.js";

/**
 * `keras.layers.Conv3D(filters, kernel_size, strides=(1, 1, 1), padding="valid", data_format=None,
 * dilation_rate=(1, 1, 1), groups=1, activation=None, use_bias=True, ...)`.
 */
export const Conv3D = defineLayer({
  className: "Conv3D",
  aliases: ["Convolution3D"],
  defaults: convDefaults(3),
  outputs: (ctx) => convOutputs(ctx, 3),
  weights: (ctx) => convWeights(ctx, 3),
});
