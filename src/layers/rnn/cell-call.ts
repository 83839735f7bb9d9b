import type { TensorSpec } from "../../ir/graph.js";
import type { CallContext } from "../../ir/kind.js";
import { formatShape } from "../../ir/shape.js";

const isSpec = (v: unknown): v is TensorSpec =>
  !!v && typeof v === "object" && !Array.isArray(v) && Array.isArray((v as TensorSpec).shape);

/**
 * The step input of a cell called as a layer: `cell(inputs, states)` directly, or one step inside an
 * `RNN` (kerasgraph evaluates a wrapped cell on its step input alone). Keras's cells build from
 * `input_shape[-1]`, so the input must be `(batch, features)` or longer.
 */
export function cellInput(ctx: CallContext): TensorSpec {
  const first = ctx.args[0];
  const x = isSpec(first) ? first : ctx.inputs[0];
  if (!x) return ctx.fail("expects the step inputs of shape (batch, features). Received: no input");
  if (x.shape.length < 2)
    ctx.fail(`expects step inputs of shape (batch, features). Received: input_shape=${formatShape(x.shape)}`);
  return x;
}
