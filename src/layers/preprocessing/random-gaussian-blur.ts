import { defineShapePreservingImageLayer, VALUE_RANGE } from "./image-layer.js";

/**
 * `keras.layers.RandomGaussianBlur(factor=1.0, kernel_size=3, sigma=1.0, value_range=(0, 255), data_format=None,
 * seed=None)`: keeps the input shape and outputs the compute dtype.
 */
export const RandomGaussianBlur = defineShapePreservingImageLayer({
  className: "RandomGaussianBlur",
  defaults: { factor: 1, kernel_size: 3, sigma: 1, value_range: VALUE_RANGE, seed: null },
});
