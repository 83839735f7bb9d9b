import { defineShapePreservingImageLayer } from "./image-layer.js";

/**
 * `keras.layers.MixUp(alpha=0.2, data_format=None, seed=None)`: keeps the input shape and outputs the compute
 * dtype.
 */
export const MixUp = defineShapePreservingImageLayer({
  className: "MixUp",
  defaults: { alpha: 0.2, seed: null },
});
