import { defineShapePreservingImageLayer } from "./image-layer.js";

/**
 * `keras.layers.RandomPerspective(factor=1.0, scale=1.0, interpolation="bilinear", fill_value=0.0, seed=None,
 * data_format=None)`: keeps the input shape and outputs the compute dtype.
 */
export const RandomPerspective = defineShapePreservingImageLayer({
  className: "RandomPerspective",
  defaults: { factor: 1, scale: 1, interpolation: "bilinear", fill_value: 0, seed: null },
});
