import { defineShapePreservingImageLayer, VALUE_RANGE } from "./image-layer.js";

/**
 * `keras.layers.RandAugment(value_range=(0, 255), num_ops=2, factor=0.5, interpolation="bilinear", seed=None,
 * data_format=None)`: keeps the input shape and outputs the compute dtype.
 */
export const RandAugment = defineShapePreservingImageLayer({
  className: "RandAugment",
  defaults: { value_range: VALUE_RANGE, num_ops: 2, factor: 0.5, interpolation: "bilinear", seed: null },
});
