import { defineShapePreservingImageLayer, VALUE_RANGE } from "./image-layer.js";

/**
 * `keras.layers.RandomBrightness(factor, value_range=(0, 255), seed=None, **kwargs)`: keeps the input shape and
 * outputs the compute dtype.
 */
export const RandomBrightness = defineShapePreservingImageLayer({
  className: "RandomBrightness",
  defaults: { value_range: VALUE_RANGE, seed: null },
});
