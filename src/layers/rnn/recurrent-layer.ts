import type { LayerConfig } from "../../ir/config.js";
import type { CallContext, LayerKind } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";
import { type CellStep, rnnFlagDefaults, rnnOutputs, scoped, sequencesOf, stepInput } from "./rnn-base.js";

/**
 * A Keras recurrent layer that builds its own cell (`SimpleRNN` → `simple_rnn_cell`, `LSTM` →
 * `lstm_cell`, `GRU` → `gru_cell`): the layer's config is the cell's plus the RNN flags, and the cell's
 * variables live under the cell's fixed name.
 */
export function defineRecurrentLayer(spec: {
  className: string;
  aliases?: string[];
  cellName: string;
  defaults: Record<string, unknown>;
  step: (ctx: CallContext, config: LayerConfig, step: Shape) => CellStep;
}): LayerKind {
  return defineLayer({
    className: spec.className,
    aliases: spec.aliases,
    defaults: { ...rnnFlagDefaults, ...spec.defaults },
    outputs(ctx) {
      const x = sequencesOf(ctx);
      return rnnOutputs(ctx, x, spec.step(ctx, ctx.config, stepInput(x).shape));
    },
    weights(ctx) {
      const x = sequencesOf(ctx);
      return scoped(spec.cellName, spec.step(ctx, ctx.config, stepInput(x).shape).weights);
    },
  });
}
