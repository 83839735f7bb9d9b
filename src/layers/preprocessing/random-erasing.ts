import { defineShapePreservingImageLayer, VALUE_RANGE } from "./image-layer.js";

/**
 * `keras.layers.RandomErasing(factor=1.0, scale=(0.02, 0.33), fill_value=None, value_range=(0, 255), seed=None,
 * data_format=None)`: keeps the input shape and outputs the compute dtype.
 */
export const RandomErasing = defineShapePreservingImageLayer({
  className: "RandomErasing",
  defaults: { factor: 1, scale: [0.02, 0.33], fill_value: null, value_range: VALUE_RANGE, seed: null },
});
