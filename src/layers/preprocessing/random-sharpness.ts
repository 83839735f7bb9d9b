import { defineShapePreservingImageLayer, VALUE_RANGE } from "./image-layer.js";

/**
 * `keras.layers.RandomSharpness(factor, value_range=(0, 255), data_format=None, seed=None)`: keeps the input shape
 * and outputs the compute dtype.
 */
export const RandomSharpness = defineShapePreservingImageLayer({
  className: "RandomSharpness",
  defaults: { value_range: VALUE_RANGE, seed: null },
});
