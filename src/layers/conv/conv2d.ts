import { defineLayer } from "../define.js";
import { convDefaults, convOutputs, convWeights } from "./base-conv.js";

/**
 * `keras.layers.Conv2D(filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
 * dilation_rate=(1, 1), groups=1, activation=None, use_bias=True, ...)`.
 */
export const Conv2D = defineLayer({
  className: "Conv2D",
  aliases: ["Convolution2D", "AtrousConvolution2D"],
  defaults: convDefaults(2),
  outputs: (ctx) => convOutputs(ctx, 2),
  weights: (ctx) => convWeights(ctx, 2),
});
