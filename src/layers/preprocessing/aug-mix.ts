import { defineShapePreservingImageLayer, VALUE_RANGE } from "./image-layer.js";

/**
 * `keras.layers.AugMix(value_range=(0, 255), num_chains=3, chain_depth=3, factor=0.3, alpha=1.0, all_ops=True,
 * interpolation="bilinear", seed=None, data_format=None)`: keeps the input shape and outputs the compute dtype.
 * AugMix's chains of augmentations all keep the shape.
 */
export const AugMix = defineShapePreservingImageLayer({
  className: "AugMix",
  defaults: {
    value_range: VALUE_RANGE,
    num_chains: 3,
    chain_depth: 3,
    factor: 0.3,
    alpha: 1,
    all_ops: true,
    interpolation: "bilinear",
    seed: null,
  },
});
