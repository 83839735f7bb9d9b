import { defineShapePreservingImageLayer } from "./image-layer.js";

/**
 * `keras.layers.RandomRotation(factor, fill_mode="reflect", interpolation="bilinear", seed=None, fill_value=0.0,
 * data_format=None)`: keeps the input shape and outputs the compute dtype. Keras 2 (and
 * `keras.layers.experimental.preprocessing`) writes the same keys, without data_format.
 */
export const RandomRotation = defineShapePreservingImageLayer({
  className: "RandomRotation",
  defaults: { fill_mode: "reflect", interpolation: "bilinear", seed: null, fill_value: 0 },
});
