import { defineLayer } from "../define.js";
import { evaluateTfFunction } from "./tf-op-lambda.js";

/**
 * `SlicingOpLambda(function)` (tf.keras 2.4–2.15): `x[:, 0]` and `tf.boolean_mask` on symbolic tensors,
 * serialized as `{"function": "__operators__.getitem"}` with the key in the call's `slice_spec`.
 */
export const SlicingOpLambda = defineLayer({
  className: "SlicingOpLambda",
  defaults: {},
  outputs: evaluateTfFunction,
});
