import type { CallContext } from "../../ir/kind.js";
import type { Dim, Shape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";
import { firstArgTensors } from "../input-spec.js";

/**
 * `keras.layers.Lambda(function, output_shape=None, mask=None, arguments=None)`. The function is opaque
 * to kerasgraph (it is never executed): a config that states `output_shape` as a shape (or a list of
 * shapes), without the batch dimension, gets exactly that, with the batch dimension of the first input
 * in front; otherwise (no output_shape, or one given as a function) the output is assumed to have the
 * shape of the first input. Either way the dtype is the layer's compute dtype, as in Keras.
 */
export const Lambda = defineLayer({
  className: "Lambda",
  defaults: { output_shape: null, mask: null, arguments: {} },
  outputs(ctx) {
    const inputs = firstArgTensors(ctx);
    if (inputs.length === 0) ctx.fail("was called without an input tensor.");
    const batch = inputs[0]!.shape[0] ?? null;
    const stated = statedShapes(ctx);
    return stated ? stated.map((s) => [batch, ...s]) : [[...inputs[0]!.shape]];
  },
});

const isDims = (v: unknown): v is Dim[] =>
  Array.isArray(v) && v.every((d) => d === null || (typeof d === "number" && Number.isInteger(d)));

/** `output_shape` when it is data: one shape, or a list of shapes (Keras 2 marks functions with "lambda"). */
function statedShapes(ctx: CallContext): Shape[] | null {
  const v = ctx.config.get("output_shape");
  if (ctx.config.raw.output_shape_type === "lambda") return null;
  if (isDims(v)) return [v];
  if (Array.isArray(v) && v.length > 0 && v.every(isDims)) return v;
  return null;
}
