import { defineShapePreservingImageLayer } from "./image-layer.js";

/**
 * `keras.layers.RandomShear(x_factor=0.0, y_factor=0.0, interpolation="bilinear", fill_mode="reflect",
 * fill_value=0.0, data_format=None, seed=None)`: keeps the input shape and outputs the compute dtype.
 */
export const RandomShear = defineShapePreservingImageLayer({
  className: "RandomShear",
  defaults: { x_factor: 0, y_factor: 0, interpolation: "bilinear", fill_mode: "reflect", fill_value: 0, seed: null },
});
