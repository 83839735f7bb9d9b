import type { LayerConfig } from "../../ir/config.js";
import type { TensorSpec } from "../../ir/graph.js";
import type { CallContext } from "../../ir/kind.js";
import type { Dim } from "../../ir/shape.js";
import { formatShape } from "../../ir/shape.js";
import { compatConfig, invalidConfig } from "../config-compat.js";
import { singleInput } from "../input-spec.js";
import type { DataFormat, Padding } from "../shape-arith.js";
import { channelDim, readDataFormat } from "../shape-arith.js";

/**
 * The hyperparameters every convolution base class of Keras standardizes in `__init__`
 * (keras/src/layers/convolutional/base_*.py), validated the same way, plus the input they were called on.
 */
export interface ConvCall {
  config: LayerConfig;
  rank: number;
  input: TensorSpec;
  format: DataFormat;
  kernel: number[];
  strides: number[];
  dilation: number[];
  padding: Padding;
  /** The input's channel dimension (known: every convolution builds its kernel from it). */
  channels: number;
}

/** Keras's `standardize_tuple(value, rank, name, allow_zero)`, raising as Keras does for values out of range. */
export function readTuple(
  ctx: CallContext,
  config: LayerConfig,
  key: string,
  rank: number,
  allowZero = false,
): number[] {
  const value = config.tuple(key, rank);
  const bad = value.filter((v) => (allowZero ? v < 0 : v <= 0));
  if (bad.length > 0) {
    invalidConfig(
      ctx,
      `The \`${key}\` argument must be a tuple of ${rank} integers. Received ${key}=${JSON.stringify(config.get(key))}, ` +
        `including values {${bad.join(", ")}} that do not satisfy \`value ${allowZero ? ">= 0" : "> 0"}\``,
    );
  }
  return value;
}

/** Keras's convolution defaults for a given rank: `strides=(1,)*rank`, `dilation_rate=(1,)*rank`. */
export function unitTuple(rank: number): number | number[] {
  return rank === 1 ? 1 : Array<number>(rank).fill(1);
}

export function readConvCall(
  ctx: CallContext,
  rank: number,
  options: { allowCausal?: boolean; stridesWithDilation?: boolean } = {},
): ConvCall {
  const config = compatConfig(ctx);
  const kernel = readTuple(ctx, config, "kernel_size", rank);
  const strides = readTuple(ctx, config, "strides", rank);
  const dilation = readTuple(ctx, config, "dilation_rate", rank);
  const paddings: Padding[] = options.allowCausal ? ["valid", "same", "causal"] : ["valid", "same"];
  const padding = config.oneOf("padding", paddings);
  if (options.stridesWithDilation === false && Math.max(...strides) > 1 && Math.max(...dilation) > 1) {
    invalidConfig(
      ctx,
      `\`strides > 1\` not supported in conjunction with \`dilation_rate > 1\`. ` +
        `Received: strides=${formatTuple(strides)} and dilation_rate=${formatTuple(dilation)}`,
    );
  }
  const format = readDataFormat(config);
  const input = singleInput(ctx, { minNdim: rank + 2 });
  if (input.shape.length !== rank + 2) {
    ctx.fail(
      `expects an input of rank ${rank + 2} ((batch, ${rank === 1 ? "steps" : "*spatial"}, channels) or channels_first). ` +
        `Received: input_shape=${formatShape(input.shape)}`,
    );
  }
  const c = channelDim(input.shape, format);
  if (c === null) {
    ctx.fail(
      `The channel dimension of the inputs should be defined (axis ${format === "channels_last" ? -1 : 1}, ${format}). ` +
        `Received: input_shape=${formatShape(input.shape)}`,
    );
  }
  return { config, rank, input, format, kernel, strides, dilation, padding, channels: c };
}

/** Fails the way `compute_conv_output_shape` does when a "valid" output length is zero or negative. */
export function checkPositive(ctx: CallContext, conv: ConvCall, spatial: Dim[]): void {
  if (spatial.some((d) => d !== null && d <= 0)) {
    ctx.fail(
      `Computed output size would be zero or negative. Received inputs shape=${formatShape(conv.input.shape)}, ` +
        `kernel_size=${formatTuple(conv.kernel)}, dilation_rate=${formatTuple(conv.dilation)}, ` +
        `strides=${formatTuple(conv.strides)}, padding=${conv.padding}.`,
    );
  }
}

/** Python's repr of a tuple of ints: `(3,)`, `(2, 2)`. */
export function formatTuple(values: number[]): string {
  return values.length === 1 ? `(${values[0]},)` : `(${values.join(", ")})`;
}
