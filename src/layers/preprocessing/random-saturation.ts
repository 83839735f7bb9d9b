import { defineShapePreservingImageLayer, VALUE_RANGE } from "./image-layer.js";

/**
 * `keras.layers.RandomSaturation(factor, value_range=(0, 255), data_format=None, seed=None)`: keeps the input
 * shape and outputs the compute dtype.
 */
export const RandomSaturation = defineShapePreservingImageLayer({
  className: "RandomSaturation",
  defaults: { value_range: VALUE_RANGE, seed: null },
});
