import type { TensorSpec } from "../../ir/graph.js";
import type { CallContext, WeightDecl } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";
import { cellInput } from "./cell-call.js";
import { scoped, serializedLayerName } from "./rnn-base.js";

/** Each cell in turn on the previous cell's output; states and variables (under each cell's name) in order. */
function stack(ctx: CallContext): { output: Shape; states: Shape[]; weights: WeightDecl[] } {
  const cells = ctx.config.get("cells");
  if (!Array.isArray(cells) || cells.length === 0) {
    return ctx.fail(`needs a non-empty list of serialized \`cells\`. Received: cells=${JSON.stringify(cells)}`);
  }
  let x: TensorSpec = cellInput(ctx);
  const states: Shape[] = [];
  const weights: WeightDecl[] = [];
  for (const cell of cells) {
    const r = ctx.inner(cell, [x]);
    const [output, ...rest] = r.outputs;
    if (!output) ctx.fail(`cell ${r.className} '${r.name}' produced no output.`);
    states.push(...rest.map((s) => s.shape));
    weights.push(...scoped(serializedLayerName(cell), r.weights));
    x = output;
  }
  return { output: x.shape, states, weights };
}

/**
 * `keras.layers.StackedRNNCells(cells)`: the cells of a stacked RNN; one step gives the last cell's
 * output and every cell's states, flattened in order.
 */
export const StackedRNNCells = defineLayer({
  className: "StackedRNNCells",
  defaults: {},
  outputs(ctx) {
    const s = stack(ctx);
    return [s.output, ...s.states];
  },
  weights: (ctx) => stack(ctx).weights,
});
