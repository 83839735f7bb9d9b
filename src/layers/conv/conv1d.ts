import { defineLayer } from "../define.js";
import { convDefaults, convOutputs, convWeights } from "./base-conv.js";

/**
 * `keras.layers.Conv1D(filters, kernel_size, strides=1, padding="valid", data_format=None,
 * dilation_rate=1, groups=1, activation=None, use_bias=True, ...)`; padding may also be "causal".
 */
export const Conv1D = defineLayer({
  className: "Conv1D",
  aliases: ["Convolution1D", "AtrousConvolution1D"],
  defaults: convDefaults(1),
  outputs: (ctx) => convOutputs(ctx, 1),
  weights: (ctx) => convWeights(ctx, 1),
});
