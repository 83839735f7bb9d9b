import type { CallContext, InnerResult } from "../../ir/kind.js";
import { formatShape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";
import { scoped } from "./rnn-base.js";

/** The wrapped layer evaluated on one time slice `(batch, *input_shape[2:])`. */
function child(ctx: CallContext): InnerResult {
  const x = ctx.inputs[0];
  if (!x || x.shape.length < 3) {
    ctx.fail(
      `\`TimeDistributed\` Layer should be passed an \`input_shape\` with at least 3 dimensions, received: ${x ? formatShape(x.shape) : "no input"}`,
    );
  }
  return ctx.inner(ctx.config.get("layer"), [{ shape: [x.shape[0]!, ...x.shape.slice(2)], dtype: x.dtype }]);
}

/**
 * `keras.layers.TimeDistributed(layer)`: applies `layer` to every slice along axis 1; output
 * `(child_batch, timesteps, *child_shape[1:])`. The wrapped layer's variables live under its name
 * (`time_distributed/dense/kernel`).
 */
export const TimeDistributed = defineLayer({
  className: "TimeDistributed",
  defaults: {},
  outputs(ctx) {
    const steps = ctx.inputs[0]?.shape[1] ?? null;
    return child(ctx).outputs.map((o) => [o.shape[0] ?? null, steps, ...o.shape.slice(1)]);
  },
  weights(ctx) {
    const c = child(ctx);
    return scoped(c.name, c.weights);
  },
});
