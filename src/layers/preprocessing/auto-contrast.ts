import { defineShapePreservingImageLayer, VALUE_RANGE } from "./image-layer.js";

/**
 * `keras.layers.AutoContrast(value_range=(0, 255), **kwargs)`: keeps the input shape and outputs the compute
 * dtype.
 */
export const AutoContrast = defineShapePreservingImageLayer({
  className: "AutoContrast",
  defaults: { value_range: VALUE_RANGE },
});
