import { defineLayer } from "../define.js";
import { convTransposeDefaults, convTransposeOutputs, convTransposeWeights } from "./base-conv-transpose.js";

/**
 * `keras.layers.Conv3DTranspose(filters, kernel_size, strides=(1, 1, 1), padding="valid", output_padding=None,
 * data_format=None, dilation_rate=(1, 1, 1), activation=None, use_bias=True, ...)`.
 */
export const Conv3DTranspose = defineLayer({
  className: "Conv3DTranspose",
  aliases: ["Convolution3DTranspose", "Deconvolution3D"],
  defaults: convTransposeDefaults(3),
  outputs: (ctx) => convTransposeOutputs(ctx, 3),
  weights: (ctx) => convTransposeWeights(ctx, 3),
});
