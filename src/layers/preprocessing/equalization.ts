import { defineShapePreservingImageLayer, VALUE_RANGE } from "./image-layer.js";

/**
 * `keras.layers.Equalization(value_range=(0, 255), bins=256, data_format=None)`: keeps the input shape. Its
 * `compute_output_spec` returns the (autocast) input, so integer images keep their dtype.
 */
export const Equalization = defineShapePreservingImageLayer({
  className: "Equalization",
  defaults: { value_range: VALUE_RANGE, bins: 256 },
  dtype: "input",
});
