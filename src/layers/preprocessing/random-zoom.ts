import { defineShapePreservingImageLayer } from "./image-layer.js";

/**
 * `keras.layers.RandomZoom(height_factor, width_factor=None, fill_mode="reflect", interpolation="bilinear",
 * seed=None, fill_value=0.0, data_format=None)`: keeps the input shape and outputs the compute dtype.
 */
export const RandomZoom = defineShapePreservingImageLayer({
  className: "RandomZoom",
  defaults: { width_factor: null, fill_mode: "reflect", interpolation: "bilinear", seed: null, fill_value: 0 },
});
