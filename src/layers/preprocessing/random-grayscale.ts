import { defineShapePreservingImageLayer } from "./image-layer.js";

/**
 * `keras.layers.RandomGrayscale(factor=0.5, data_format=None, seed=None)`: keeps the input shape (grayscale
 * images keep their channels). Its `compute_output_spec` keeps the (autocast) input dtype.
 */
export const RandomGrayscale = defineShapePreservingImageLayer({
  className: "RandomGrayscale",
  defaults: { factor: 0.5, seed: null },
  dtype: "input",
});
