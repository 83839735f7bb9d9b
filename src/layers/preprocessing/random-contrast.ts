import { defineShapePreservingImageLayer, VALUE_RANGE } from "./image-layer.js";

/**
 * `keras.layers.RandomContrast(factor, value_range=(0, 255), seed=None, **kwargs)`: keeps the input shape and
 * outputs the compute dtype. Keras 2's RandomContrast(factor, seed=None) has no value_range.
 */
export const RandomContrast = defineShapePreservingImageLayer({
  className: "RandomContrast",
  defaults: { value_range: VALUE_RANGE, seed: null },
});
