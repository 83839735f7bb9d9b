import { defineLayer } from "../define.js";
import { separableConvDefaults, separableConvOutputs, separableConvWeights } from "./base-separable-conv.js";

/**
 * `keras.layers.SeparableConv2D(filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
 * dilation_rate=(1, 1), depth_multiplier=1, activation=None, use_bias=True, ...)`.
 */
export const SeparableConv2D = defineLayer({
  className: "SeparableConv2D",
  aliases: ["SeparableConvolution2D"],
  defaults: separableConvDefaults(2),
  outputs: (ctx) => separableConvOutputs(ctx, 2),
  weights: (ctx) => separableConvWeights(ctx, 2),
});
