import type { TfRule } from "./tf-call.js";
import { arrayFunctions } from "./tf-array.js";
import { mathFunctions } from "./tf-math.js";
import { nnFunctions } from "./tf-nn.js";
import { slicingFunctions } from "./tf-slicing.js";

/**
 * Every TensorFlow function kerasgraph computes shapes for, by the name tf.keras 2 records in a
 * TFOpLambda's `function` (`get_canonical_name_for_symbol`: "math.reduce_mean", "__operators__.add",
 * "compat.v1.transpose"; the layer's own name adds "tf." and a counter).
 */
export const TF_FUNCTIONS: Readonly<Record<string, TfRule>> = {
  ...mathFunctions,
  ...arrayFunctions,
  ...nnFunctions,
  ...slicingFunctions,
};
