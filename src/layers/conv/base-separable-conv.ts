import type { CallContext, WeightDecl } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { convOutputShape } from "./base-conv.js";
import type { ConvCall } from "./conv-options.js";
import { readConvCall, unitTuple } from "./conv-options.js";

/**
 * Keras's `BaseSeparableConv(rank, depth_multiplier, filters, kernel_size, strides=1, padding="valid",
 * data_format=None, dilation_rate=1, activation=None, use_bias=True, depthwise_initializer=...,
 * pointwise_initializer=..., ...)` (keras/src/layers/convolutional/base_separable_conv.py).
 */
export function separableConvDefaults(rank: number): Record<string, unknown> {
  return {
    strides: unitTuple(rank),
    padding: "valid",
    data_format: null,
    dilation_rate: unitTuple(rank),
    depth_multiplier: 1,
    activation: "linear",
    use_bias: true,
    depthwise_initializer: "glorot_uniform",
    pointwise_initializer: "glorot_uniform",
    bias_initializer: "zeros",
    depthwise_regularizer: null,
    pointwise_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    depthwise_constraint: null,
    pointwise_constraint: null,
    bias_constraint: null,
  };
}

function readSeparable(ctx: CallContext, rank: number): ConvCall & { multiplier: number; filters: number } {
  const conv = readConvCall(ctx, rank);
  return {
    ...conv,
    multiplier: conv.config.positiveInt("depth_multiplier"),
    filters: conv.config.positiveInt("filters"),
  };
}

export function separableConvOutputs(ctx: CallContext, rank: number): Shape[] {
  const conv = readSeparable(ctx, rank);
  return [convOutputShape(ctx, conv, conv.filters)];
}

/**
 * `depthwise_kernel` `kernel_size + (in_channels, depth_multiplier)`, `pointwise_kernel`
 * `(1,) * rank + (depth_multiplier * in_channels, filters)`, `bias` `(filters,)`.
 */
export function separableConvWeights(ctx: CallContext, rank: number): (WeightDecl | false)[] {
  const conv = readSeparable(ctx, rank);
  return [
    { name: "depthwise_kernel", shape: [...conv.kernel, conv.channels, conv.multiplier] },
    {
      name: "pointwise_kernel",
      shape: [...Array<number>(rank).fill(1), conv.multiplier * conv.channels, conv.filters],
    },
    conv.config.bool("use_bias") && { name: "bias", shape: [conv.filters] },
  ];
}
