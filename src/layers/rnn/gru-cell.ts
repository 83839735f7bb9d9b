import type { LayerConfig } from "../../ir/config.js";
import type { CallContext } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";
import { cellInput } from "./cell-call.js";
import { type CellStep, inputDim, recurrentWeightDefaults, unitsOf } from "./rnn-base.js";

/**
 * `reset_after`, Keras 3's default True. Keras < 2.1.3 wrote no `reset_after` and computed GRUs the
 * "before" way (bias `(3*units,)`); its configs are recognisable by the `implementation` key, which
 * every Keras 2 recurrent config carries, so a config with `implementation` and no `reset_after` means False.
 */
export function gruResetAfter(config: LayerConfig): boolean {
  if (config.raw.reset_after === undefined && config.raw.implementation !== undefined) return false;
  return config.bool("reset_after");
}

/**
 * One step of `GRUCell`: `kernel (input_dim, 3*units)`, `recurrent_kernel (units, 3*units)`, and a bias of
 * `(2, 3*units)` (separate input and recurrent biases) when `reset_after`, else `(3*units,)`.
 */
export function gruStep(ctx: CallContext, config: LayerConfig, step: Shape): CellStep {
  const units = unitsOf(config);
  const batch = step[0]!;
  return {
    output: [batch, units],
    states: [[batch, units]],
    weights: [
      { name: "kernel", shape: [inputDim(ctx, step), 3 * units] },
      { name: "recurrent_kernel", shape: [units, 3 * units] },
      ...(config.bool("use_bias")
        ? [{ name: "bias", shape: gruResetAfter(config) ? [2, 3 * units] : [3 * units] }]
        : []),
    ],
  };
}

export const gruCellDefaults: Record<string, unknown> = {
  ...recurrentWeightDefaults,
  recurrent_activation: "sigmoid",
  reset_after: true,
  seed: null,
};

/**
 * `keras.layers.GRUCell(units, activation="tanh", recurrent_activation="sigmoid", use_bias=True, ...,
 * dropout=0.0, recurrent_dropout=0.0, reset_after=True, seed=None)`.
 */
export const GRUCell = defineLayer({
  className: "GRUCell",
  defaults: gruCellDefaults,
  outputs(ctx) {
    const s = gruStep(ctx, ctx.config, cellInput(ctx).shape);
    return [s.output, ...s.states];
  },
  weights: (ctx) => gruStep(ctx, ctx.config, cellInput(ctx).shape).weights,
});
