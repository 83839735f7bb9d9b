import type { CallContext, InnerResult } from "../../ir/kind.js";
import { defineLayer } from "../define.js";
import { rnnFlagDefaults, rnnOutputs, scoped, sequencesOf, serializedLayerName, stepInput } from "./rnn-base.js";

/** The `cell` of an RNN config: a serialized cell, or (as Keras turns a list into) StackedRNNCells. */
function cellOf(ctx: CallContext): unknown {
  const cell = ctx.config.get("cell");
  if (Array.isArray(cell)) return { class_name: "StackedRNNCells", config: { name: "stacked_rnn_cells", cells: cell } };
  if (!cell || typeof cell !== "object")
    return ctx.fail(`needs a \`cell\` (a serialized RNN cell). Received: cell=${JSON.stringify(cell)}`);
  return cell;
}

function step(ctx: CallContext): InnerResult {
  return ctx.inner(cellOf(ctx), [stepInput(sequencesOf(ctx))]);
}

/**
 * `keras.layers.RNN(cell, return_sequences=False, return_state=False, go_backwards=False,
 * stateful=False, unroll=False, zero_output_for_mask=False)`: runs any cell (SimpleRNNCell, LSTMCell,
 * GRUCell, StackedRNNCells, or a registered custom cell whose kind returns `[output, ...states]` for one
 * step). The cell's variables live under the cell's name (`rnn/lstm_cell/kernel`).
 */
export const RNN = defineLayer({
  className: "RNN",
  defaults: { ...rnnFlagDefaults },
  outputs(ctx) {
    const cell = step(ctx);
    const [output, ...states] = cell.outputs;
    if (!output) ctx.fail(`its cell ${cell.className} produced no output.`);
    return rnnOutputs(ctx, sequencesOf(ctx), { output: output.shape, states: states.map((s) => s.shape) });
  },
  weights(ctx) {
    return scoped(serializedLayerName(cellOf(ctx)), step(ctx).weights);
  },
});
