import { defineShapePreservingImageLayer, VALUE_RANGE } from "./image-layer.js";

/**
 * `keras.layers.Solarization(addition_factor=0.0, threshold_factor=0.0, value_range=(0, 255), seed=None,
 * **kwargs)`: keeps the input shape and outputs the compute dtype.
 */
export const Solarization = defineShapePreservingImageLayer({
  className: "Solarization",
  defaults: { addition_factor: 0, threshold_factor: 0, value_range: VALUE_RANGE, seed: null },
});
