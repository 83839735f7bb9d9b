import { defineShapePreservingImageLayer } from "./image-layer.js";

/**
 * `keras.layers.RandomFlip(mode="horizontal_and_vertical", seed=None, data_format=None)`: keeps the input shape
 * and outputs the compute dtype. Keras 2 (and `keras.layers.experimental.preprocessing`) writes the same `mode`
 * and `seed`, without data_format.
 */
export const RandomFlip = defineShapePreservingImageLayer({
  className: "RandomFlip",
  defaults: { mode: "horizontal_and_vertical", seed: null },
});
