import { defineLayer } from "../define.js";
import { separableConvDefaults, separableConvOutputs, separableConvWeights } from "./base-separable-conv.js";

/**
 * `keras.layers.SeparableConv1D(filters, kernel_size, strides=1, padding="valid", data_format=None,
 * dilation_rate=1, depth_multiplier=1, activation=None, use_bias=True, ...)`.
 */
export const SeparableConv1D = defineLayer({
  className: "SeparableConv1D",
  aliases: ["SeparableConvolution1D"],
  defaults: separableConvDefaults(1),
  outputs: (ctx) => separableConvOutputs(ctx, 1),
  weights: (ctx) => separableConvWeights(ctx, 1),
});
