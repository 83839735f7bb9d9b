import type { CallContext, WeightDecl } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { invalidConfig } from "../config-compat.js";
import { deconvOutputLength, spatialDims, withSpatial } from "../shape-arith.js";
import type { ConvCall } from "./conv-options.js";
import { formatTuple, readConvCall, readTuple, unitTuple } from "./conv-options.js";

/**
 * Keras's `BaseConvTranspose(rank, filters, kernel_size, strides=1, padding="valid", output_padding=None,
 * data_format=None, dilation_rate=1, activation=None, use_bias=True, ...)`
 * (keras/src/layers/convolutional/base_conv_transpose.py), shared by Conv1D/2D/3DTranspose.
 */
export function convTransposeDefaults(rank: number): Record<string, unknown> {
  return {
    strides: unitTuple(rank),
    padding: "valid",
    output_padding: null,
    data_format: null,
    dilation_rate: unitTuple(rank),
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

interface ConvTransposeCall extends ConvCall {
  filters: number;
  outputPadding: number[] | null;
}

function readConvTranspose(ctx: CallContext, rank: number): ConvTransposeCall {
  const conv = readConvCall(ctx, rank, { stridesWithDilation: false });
  const filters = conv.config.positiveInt("filters");
  let outputPadding: number[] | null = null;
  if (conv.config.get("output_padding") != null) {
    outputPadding = readTuple(ctx, conv.config, "output_padding", rank, true);
    outputPadding.forEach((p, i) => {
      if (p >= conv.strides[i]!) {
        invalidConfig(
          ctx,
          `\`output_padding\` must be strictly less than \`strides\` for all dimensions. At dimension ${i}, ` +
            `\`output_padding\` is ${p} but \`strides\` is ${conv.strides[i]}. ` +
            `Received: output_padding=${formatTuple(outputPadding!)}, strides=${formatTuple(conv.strides)}`,
        );
      }
    });
  }
  return { ...conv, filters, outputPadding };
}

/** `compute_conv_transpose_output_shape`; Keras 1's Deconvolution2D stated its `output_shape` instead. */
export function convTransposeOutputs(ctx: CallContext, rank: number): Shape[] {
  const conv = readConvTranspose(ctx, rank);
  const batch = conv.input.shape[0] ?? null;
  const stated = conv.config.raw.output_shape;
  if (Array.isArray(stated) && stated.length === rank + 2) return [[batch, ...(stated.slice(1) as (number | null)[])]];
  const padding = conv.padding === "same" ? "same" : "valid";
  const spatial = spatialDims(conv.input.shape, conv.format).map((n, i) =>
    deconvOutputLength(
      n,
      conv.kernel[i]!,
      conv.strides[i]!,
      padding,
      conv.outputPadding?.[i] ?? null,
      conv.dilation[i]!,
    ),
  );
  return [withSpatial(batch, spatial, conv.filters, conv.format)];
}

/** `kernel` of shape `kernel_size + (filters, in_channels)`, then `bias` of `(filters,)`. */
export function convTransposeWeights(ctx: CallContext, rank: number): (WeightDecl | false)[] {
  const conv = readConvTranspose(ctx, rank);
  return [
    { name: "kernel", shape: [...conv.kernel, conv.filters, conv.channels] },
    conv.config.bool("use_bias") && { name: "bias", shape: [conv.filters] },
  ];
}
