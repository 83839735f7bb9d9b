import type * as tf from "@tensorflow/tfjs-core";
import { ShapeError } from "../../ir/errors.js";
import type { Layer } from "../layer.js";
import { freshValues } from "../weights/values.js";
import type { LayerClass } from "./kind.js";
import { useLayerClass } from "./register.js";

/**
 * A custom layer called on tfjs tensors (Keras's eager call, `layer(tf.zeros([1, 10, 5]))`): builds it
 * on their shapes, gives its weights values, and runs `call`. Built-in layers run inside models only.
 */
export function runEager(
  layer: Layer,
  inputs: tf.Tensor | tf.Tensor[],
  kwargs: Record<string, unknown>,
): tf.Tensor | tf.Tensor[] {
  if (!layer.isCustom()) {
    throw new ShapeError(
      `${layer.className} '${layer.name}' was called on tfjs tensors. Built-in layers are called on Input() tensors; ` +
        `compute values with model.predict().`,
    );
  }
  useLayerClass(layer.constructor as LayerClass);
  const ir = layer.ir;
  layer.ensureBuilt(Array.isArray(inputs) ? inputs.map((t) => [...t.shape]) : [...inputs.shape]);
  ir.weights ??= layer.customWeights.map((w) => ({
    name: w.name,
    shape: w.shape,
    dtype: w.dtype,
    trainable: w.trainable,
  }));
  for (const w of ir.weights) if (!ir.values.has(w.name)) ir.values.set(w.name, freshValues(layer, ir, w));
  return layer.call(inputs, kwargs);
}
