import type { CallContext, LayerKind } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { formatShape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";
import { channelDim, convOutputLength, mapSpatial, readDataFormat, spatialDims } from "../shape-arith.js";
import { type CellStep, rnnFlagDefaults, rnnOutputs, scoped, sequencesOf, stepInput } from "./rnn-base.js";
import { invalidConfig } from "../config-compat.js";

/** One step of Keras's `ConvLSTMCell` (rank 1, 2 or 3) on `(batch, *spatial, channels)` or channels first. */
function convLstmStep(ctx: CallContext, rank: number, step: Shape): CellStep {
  const c = ctx.config;
  const filters = c.positiveInt("filters");
  const kernelSize = c.tuple("kernel_size", rank);
  const strides = c.tuple("strides", rank);
  const dilationRate = c.tuple("dilation_rate", rank);
  const padding = c.oneOf("padding", ["valid", "same"]);
  const format = readDataFormat(c);
  if (kernelSize.some((k) => k <= 0))
    invalidConfig(ctx, `\`kernel_size\` must be positive. Received: kernel_size=${JSON.stringify(kernelSize)}`);
  if (Math.max(...strides) > 1 && Math.max(...dilationRate) > 1) {
    invalidConfig(
      ctx,
      "Specifying `strides > 1` is not compatible with `dilation_rate > 1`. Please provide `strides=1` or `dilation_rate=1`. " +
        `Received: strides=${JSON.stringify(strides)} and dilation_rate=${JSON.stringify(dilationRate)}`,
    );
  }
  // ConvLSTMCell.build: static spatial dimensions and a known channel axis.
  const channels = channelDim(step, format);
  if (spatialDims(step, format).includes(null)) {
    ctx.fail(
      `ConvLSTM layers only support static input shapes for the spatial dimension. Received invalid input shape: input_shape=${formatShape(step)}`,
    );
  }
  if (channels === null) {
    ctx.fail(
      `The channel dimension of the inputs (last axis) should be defined. Found None. Full input shape received: input_shape=${formatShape(step)}`,
    );
  }
  // compute_conv_output_shape on the step input: each spatial axis convolved, channels -> filters.
  const state = mapSpatial(step, format, (d, i) => {
    const n = convOutputLength(d, kernelSize[i]!, strides[i]!, padding, dilationRate[i]!);
    if (n !== null && n <= 0) {
      ctx.fail(
        `Computed output size would be zero or negative. Received \`inputs shape=${formatShape(step)}\`, ` +
          `\`kernel_size=${JSON.stringify(kernelSize)}\`, \`dilation_rate=${JSON.stringify(dilationRate)}\`, ` +
          `\`strides=${JSON.stringify(strides)}\`, \`padding=${padding}\`.`,
      );
    }
    return n;
  });
  if (format === "channels_last") state[state.length - 1] = filters;
  else state[1] = filters;
  return {
    output: state,
    states: [state, state],
    weights: [
      { name: "kernel", shape: [...kernelSize, channels, 4 * filters] },
      { name: "recurrent_kernel", shape: [...kernelSize, filters, 4 * filters] },
      ...(c.bool("use_bias") ? [{ name: "bias", shape: [4 * filters] }] : []),
    ],
  };
}

/**
 * `keras.layers.ConvLSTM{1,2,3}D(filters, kernel_size, strides=1, padding="valid", data_format=None,
 * dilation_rate=1, activation="tanh", recurrent_activation="sigmoid", use_bias=True, ...,
 * return_sequences=False, return_state=False, go_backwards=False, stateful=False)`: input
 * `(batch, time, *spatial, channels)` (or channels first after time) of rank `rank + 3`; each step is a
 * convolution (`ConvLSTM.compute_output_shape`). Variables under `conv_lstm_cell/`.
 */
export function defineConvLSTM(className: string, rank: number): LayerKind {
  return defineLayer({
    className,
    defaults: {
      ...rnnFlagDefaults,
      strides: 1,
      padding: "valid",
      data_format: "channels_last",
      dilation_rate: 1,
      activation: "tanh",
      recurrent_activation: "sigmoid",
      use_bias: true,
      kernel_initializer: "glorot_uniform",
      recurrent_initializer: "orthogonal",
      bias_initializer: "zeros",
      unit_forget_bias: true,
      kernel_regularizer: null,
      recurrent_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      recurrent_constraint: null,
      bias_constraint: null,
      dropout: 0.0,
      recurrent_dropout: 0.0,
      seed: null,
    },
    outputs(ctx) {
      const x = sequencesOf(ctx, rank + 3);
      return rnnOutputs(ctx, x, convLstmStep(ctx, rank, stepInput(x).shape));
    },
    weights(ctx) {
      const x = sequencesOf(ctx, rank + 3);
      return scoped("conv_lstm_cell", convLstmStep(ctx, rank, stepInput(x).shape).weights);
    },
  });
}
