import { defineShapePreservingImageLayer, VALUE_RANGE } from "./image-layer.js";

/**
 * `keras.layers.RandomElasticTransform(factor=1.0, scale=1.0, interpolation="bilinear", fill_mode="reflect",
 * fill_value=0.0, value_range=(0, 255), seed=None, data_format=None)`: keeps the input shape and outputs the
 * compute dtype.
 */
export const RandomElasticTransform = defineShapePreservingImageLayer({
  className: "RandomElasticTransform",
  defaults: {
    factor: 1,
    scale: 1,
    interpolation: "bilinear",
    fill_mode: "reflect",
    fill_value: 0,
    value_range: VALUE_RANGE,
    seed: null,
  },
});
