import { defineShapePreservingImageLayer, VALUE_RANGE } from "./image-layer.js";

/**
 * `keras.layers.RandomColorJitter(value_range=(0, 255), brightness_factor=None, contrast_factor=None,
 * saturation_factor=None, hue_factor=None, seed=None, data_format=None)`: keeps the input shape and outputs the
 * compute dtype.
 */
export const RandomColorJitter = defineShapePreservingImageLayer({
  className: "RandomColorJitter",
  defaults: {
    value_range: VALUE_RANGE,
    brightness_factor: null,
    contrast_factor: null,
    saturation_factor: null,
    hue_factor: null,
    seed: null,
  },
});
