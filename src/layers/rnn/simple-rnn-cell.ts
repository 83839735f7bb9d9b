import type { LayerConfig } from "../../ir/config.js";
import type { CallContext } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";
import { cellInput } from "./cell-call.js";
import { type CellStep, inputDim, recurrentWeightDefaults, unitsOf } from "./rnn-base.js";

/** One step of `SimpleRNNCell`: `kernel (input_dim, units)`, `recurrent_kernel (units, units)`, `bias (units,)`. */
export function simpleRnnStep(ctx: CallContext, config: LayerConfig, step: Shape): CellStep {
  const units = unitsOf(config);
  const batch = step[0]!;
  return {
    output: [batch, units],
    states: [[batch, units]],
    weights: [
      { name: "kernel", shape: [inputDim(ctx, step), units] },
      { name: "recurrent_kernel", shape: [units, units] },
      ...(config.bool("use_bias") ? [{ name: "bias", shape: [units] }] : []),
    ],
  };
}

/**
 * `keras.layers.SimpleRNNCell(units, activation="tanh", use_bias=True, kernel_initializer=
 * "glorot_uniform", recurrent_initializer="orthogonal", bias_initializer="zeros", ..., dropout=0.0,
 * recurrent_dropout=0.0, seed=None)`. Called on `(batch, features)`, it gives the output and its one state.
 */
export const SimpleRNNCell = defineLayer({
  className: "SimpleRNNCell",
  defaults: { ...recurrentWeightDefaults, seed: null },
  outputs(ctx) {
    const s = simpleRnnStep(ctx, ctx.config, cellInput(ctx).shape);
    return [s.output, ...s.states];
  },
  weights: (ctx) => simpleRnnStep(ctx, ctx.config, cellInput(ctx).shape).weights,
});
