import type { LayerConfig } from "../../ir/config.js";
import type { CallContext } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";
import { cellInput } from "./cell-call.js";
import { type CellStep, inputDim, recurrentWeightDefaults, unitsOf } from "./rnn-base.js";

/**
 * One step of `LSTMCell`: `kernel (input_dim, 4*units)`, `recurrent_kernel (units, 4*units)`,
 * `bias (4*units,)`; two states, `h` and `c`.
 */
export function lstmStep(ctx: CallContext, config: LayerConfig, step: Shape): CellStep {
  const units = unitsOf(config);
  const batch = step[0]!;
  return {
    output: [batch, units],
    states: [
      [batch, units],
      [batch, units],
    ],
    weights: [
      { name: "kernel", shape: [inputDim(ctx, step), 4 * units] },
      { name: "recurrent_kernel", shape: [units, 4 * units] },
      ...(config.bool("use_bias") ? [{ name: "bias", shape: [4 * units] }] : []),
    ],
  };
}

export const lstmCellDefaults: Record<string, unknown> = {
  ...recurrentWeightDefaults,
  recurrent_activation: "sigmoid",
  unit_forget_bias: true,
  seed: null,
};

/**
 * `keras.layers.LSTMCell(units, activation="tanh", recurrent_activation="sigmoid", use_bias=True, ...,
 * unit_forget_bias=True, dropout=0.0, recurrent_dropout=0.0, seed=None)`. Keras 2's `implementation`
 * changes nothing here.
 */
export const LSTMCell = defineLayer({
  className: "LSTMCell",
  defaults: lstmCellDefaults,
  outputs(ctx) {
    const s = lstmStep(ctx, ctx.config, cellInput(ctx).shape);
    return [s.output, ...s.states];
  },
  weights: (ctx) => lstmStep(ctx, ctx.config, cellInput(ctx).shape).weights,
});
