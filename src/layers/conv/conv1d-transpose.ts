import { defineLayer } from "../define.js";
import { convTransposeDefaults, convTransposeOutputs, convTransposeWeights } from "./base-conv-transpose.js";

/**
 * `keras.layers.Conv1DTranspose(filters, kernel_size, strides=1, padding="valid", output_padding=None,
 * data_format=None, dilation_rate=1, activation=None, use_bias=True, ...)`.
 */
export const Conv1DTranspose = defineLayer({
  className: "Conv1DTranspose",
  aliases: ["Convolution1DTranspose"],
  defaults: convTransposeDefaults(1),
  outputs: (ctx) => convTransposeOutputs(ctx, 1),
  weights: (ctx) => convTransposeWeights(ctx, 1),
});
