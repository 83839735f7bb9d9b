import type { CallContext, WeightDecl } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { formatShape } from "../../ir/shape.js";
import { invalidConfig } from "../config-compat.js";
import { withLora } from "../core/lora.js";
import { convOutputLength, spatialDims, withSpatial } from "../shape-arith.js";
import type { ConvCall } from "./conv-options.js";
import { checkPositive, readConvCall, unitTuple } from "./conv-options.js";

/**
 * Keras's `BaseConv(rank, filters, kernel_size, strides=1, padding="valid", data_format=None,
 * dilation_rate=1, groups=1, activation=None, use_bias=True, ..., lora_rank=None)`
 * (keras/src/layers/convolutional/base_conv.py), shared by Conv1D/2D/3D.
 */
export function convDefaults(rank: number): Record<string, unknown> {
  return {
    strides: unitTuple(rank),
    padding: "valid",
    data_format: null,
    dilation_rate: unitTuple(rank),
    groups: 1,
    activation: "linear",
    use_bias: true,
    kernel_initializer: "glorot_uniform",
    bias_initializer: "zeros",
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
  };
}

interface BaseConvCall extends ConvCall {
  filters: number;
  groups: number;
}

function readBaseConv(ctx: CallContext, rank: number): BaseConvCall {
  const conv = readConvCall(ctx, rank, { allowCausal: rank === 1, stridesWithDilation: false });
  const filters = conv.config.positiveInt("filters");
  const groups = conv.config.int("groups");
  if (groups <= 0) invalidConfig(ctx, `The number of groups must be a positive integer. Received: groups=${groups}.`);
  if (filters % groups !== 0) {
    invalidConfig(
      ctx,
      `The number of filters must be evenly divisible by the number of groups. Received: groups=${groups}, filters=${filters}.`,
    );
  }
  if (conv.channels % groups !== 0) {
    ctx.fail(
      `The number of input channels must be evenly divisible by the number of groups. Received groups=${groups}, ` +
        `but the input has ${conv.channels} channels (full input shape is ${formatShape(conv.input.shape)}).`,
    );
  }
  return { ...conv, filters, groups };
}

/** `compute_conv_output_shape(input_shape, filters, kernel_size, strides, padding, data_format, dilation_rate)`. */
export function convOutputShape(ctx: CallContext, conv: ConvCall, filters: number): Shape {
  const spatial = spatialDims(conv.input.shape, conv.format).map((n, i) =>
    convOutputLength(n, conv.kernel[i]!, conv.strides[i]!, conv.padding, conv.dilation[i]!),
  );
  if (conv.padding === "valid") checkPositive(ctx, conv, spatial);
  return withSpatial(conv.input.shape[0] ?? null, spatial, filters, conv.format);
}

export function convOutputs(ctx: CallContext, rank: number): Shape[] {
  const conv = readBaseConv(ctx, rank);
  return [convOutputShape(ctx, conv, conv.filters)];
}

/** `kernel` of shape `kernel_size + (in_channels // groups, filters)`, then `bias` of `(filters,)`. */
export function convWeights(ctx: CallContext, rank: number): (WeightDecl | false)[] {
  const conv = readBaseConv(ctx, rank);
  return withLora(conv.config, [
    { name: "kernel", shape: [...conv.kernel, conv.channels / conv.groups, conv.filters] },
    conv.config.bool("use_bias") && { name: "bias", shape: [conv.filters] },
  ]);
}
