import { defineShapePreservingImageLayer } from "./image-layer.js";

/**
 * `keras.layers.CutMix(factor=1.0, seed=None, data_format=None)`: keeps the input shape and outputs the compute
 * dtype.
 */
export const CutMix = defineShapePreservingImageLayer({
  className: "CutMix",
  defaults: { factor: 1, seed: null },
});
