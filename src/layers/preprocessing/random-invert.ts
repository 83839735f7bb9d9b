import { defineShapePreservingImageLayer, VALUE_RANGE } from "./image-layer.js";

/**
 * `keras.layers.RandomInvert(factor=1.0, value_range=(0, 255), seed=None, data_format=None)`: keeps the input
 * shape and outputs the compute dtype.
 */
export const RandomInvert = defineShapePreservingImageLayer({
  className: "RandomInvert",
  defaults: { factor: 1, value_range: VALUE_RANGE, seed: null },
});
