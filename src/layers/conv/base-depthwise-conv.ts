import type { CallContext, WeightDecl } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { convOutputShape } from "./base-conv.js";
import type { ConvCall } from "./conv-options.js";
import { readConvCall, unitTuple } from "./conv-options.js";

/**
 * Keras's `BaseDepthwiseConv(rank, depth_multiplier, kernel_size, strides=1, padding="valid",
 * data_format=None, dilation_rate=1, activation=None, use_bias=True, depthwise_initializer=..., ...)`
 * (keras/src/layers/convolutional/base_depthwise_conv.py), shared by DepthwiseConv1D/2D.
 */
export function depthwiseConvDefaults(rank: number): Record<string, unknown> {
  return {
    strides: unitTuple(rank),
    padding: "valid",
    depth_multiplier: 1,
    data_format: null,
    dilation_rate: unitTuple(rank),
    activation: "linear",
    use_bias: true,
    depthwise_initializer: "glorot_uniform",
    bias_initializer: "zeros",
    depthwise_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    depthwise_constraint: null,
    bias_constraint: null,
  };
}

function readDepthwise(ctx: CallContext, rank: number): ConvCall & { multiplier: number } {
  const conv = readConvCall(ctx, rank);
  return { ...conv, multiplier: conv.config.positiveInt("depth_multiplier") };
}

/** `compute_conv_output_shape` with `depth_multiplier * in_channels` filters. */
export function depthwiseConvOutputs(ctx: CallContext, rank: number): Shape[] {
  const conv = readDepthwise(ctx, rank);
  return [convOutputShape(ctx, conv, conv.multiplier * conv.channels)];
}

/** `kernel` of shape `kernel_size + (in_channels, depth_multiplier)`, `bias` of `(depth_multiplier * in_channels,)`. */
export function depthwiseConvWeights(ctx: CallContext, rank: number): (WeightDecl | false)[] {
  const conv = readDepthwise(ctx, rank);
  return [
    { name: "kernel", shape: [...conv.kernel, conv.channels, conv.multiplier] },
    conv.config.bool("use_bias") && { name: "bias", shape: [conv.multiplier * conv.channels] },
  ];
}
