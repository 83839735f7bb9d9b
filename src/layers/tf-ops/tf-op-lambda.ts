import { UnsupportedLayerError } from "../../ir/errors.js";
import type { TensorSpec } from "../../ir/graph.js";
import type { CallContext } from "../../ir/kind.js";
import { defineLayer } from "../define.js";
import { TfCall } from "./tf-call.js";
import { TF_FUNCTIONS } from "./tf-functions.js";

/**
 * Output specs of a tf.keras 2 op layer: the rule of its TensorFlow `function`, applied to the first
 * positional argument (the node's tensor entries) and the keyword arguments the entries carry. No
 * weights; dtypes are the operands' (op layers do not autocast).
 */
export function evaluateTfFunction(ctx: CallContext): TensorSpec[] {
  const fn = ctx.config.string("function");
  const rule = TF_FUNCTIONS[fn];
  if (!rule) {
    throw new UnsupportedLayerError(
      ctx.layer.className,
      `layer '${ctx.layer.name}' (${ctx.layer.className}) applies the TensorFlow function tf.${fn}, which kerasgraph ` +
        `has no shape rule for (it knows ${Object.keys(TF_FUNCTIONS).length} functions of tf.math, tf.nn, tf.image and ` +
        `the array functions). Replace the layer with a Keras layer, or register a custom kind for '${ctx.layer.className}'.`,
    );
  }
  const out = rule(new TfCall(ctx, fn, ctx.args, ctx.kwargs));
  return Array.isArray(out) ? out : [out];
}

/**
 * `TFOpLambda(function)` (tf.keras 2.4–2.15, keras/layers/core/tf_op_layer.py): a TensorFlow function
 * applied to symbolic tensors in a functional model (`tf.reduce_mean(x, axis=1)`, `x + y`), serialized
 * as `{"function": "math.reduce_mean"}`.
 */
export const TFOpLambda = defineLayer({
  className: "TFOpLambda",
  defaults: {},
  outputs: evaluateTfFunction,
});
