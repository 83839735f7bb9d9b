import { defineShapePreservingImageLayer } from "./image-layer.js";

/**
 * `keras.layers.RandomTranslation(height_factor, width_factor, fill_mode="reflect", interpolation="bilinear",
 * seed=None, fill_value=0.0, data_format=None)`: keeps the input shape and outputs the compute dtype.
 */
export const RandomTranslation = defineShapePreservingImageLayer({
  className: "RandomTranslation",
  defaults: { fill_mode: "reflect", interpolation: "bilinear", seed: null, fill_value: 0 },
});
