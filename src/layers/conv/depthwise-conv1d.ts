import { defineLayer } from "../define.js";
import { depthwiseConvDefaults, depthwiseConvOutputs, depthwiseConvWeights } from "./base-depthwise-conv.js";

/**
 * `keras.layers.DepthwiseConv1D(kernel_size, strides=1, padding="valid", depth_multiplier=1,
 * data_format=None, dilation_rate=1, activation=None, use_bias=True, ...)`.
 */
export const DepthwiseConv1D = defineLayer({
  className: "DepthwiseConv1D",
  defaults: depthwiseConvDefaults(1),
  outputs: (ctx) => depthwiseConvOutputs(ctx, 1),
  weights: (ctx) => depthwiseConvWeights(ctx, 1),
});
