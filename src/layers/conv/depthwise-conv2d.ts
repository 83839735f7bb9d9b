import { defineLayer } from "../define.js";
import { depthwiseConvDefaults, depthwiseConvOutputs, depthwiseConvWeights } from "./base-depthwise-conv.js";

/**
 * `keras.layers.DepthwiseConv2D(kernel_size, strides=(1, 1), padding="valid", depth_multiplier=1,
 * data_format=None, dilation_rate=(1, 1), activation=None, use_bias=True, ...)`.
 */
export const DepthwiseConv2D = defineLayer({
  className: "DepthwiseConv2D",
  defaults: depthwiseConvDefaults(2),
  outputs: (ctx) => depthwiseConvOutputs(ctx, 2),
  weights: (ctx) => depthwiseConvWeights(ctx, 2),
});
