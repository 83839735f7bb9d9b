import { defineLayer } from "../define.js";
import { convTransposeDefaults, convTransposeOutputs, convTransposeWeights } from "./base-conv-transpose.js";

/**
 * `keras.layers.Conv2DTranspose(filters, kernel_size, strides=(1, 1), padding="valid", output_padding=None,
 * data_format=None, dilation_rate=(1, 1), activation=None, use_bias=True, ...)`.
 */
export const Conv2DTranspose = defineLayer({
  className: "Conv2DTranspose",
  aliases: ["Convolution2DTranspose", "Deconvolution2D"],
  defaults: convTransposeDefaults(2),
  outputs: (ctx) => convTransposeOutputs(ctx, 2),
  weights: (ctx) => convTransposeWeights(ctx, 2),
});
