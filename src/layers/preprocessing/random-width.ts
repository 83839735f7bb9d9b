import { defineLayer } from "../define.js";
import { imageDefaults, singleImage } from "./image-layer.js";

/**
 * Keras 2's `tf.keras.layers.RandomWidth(factor, interpolation="bilinear", seed=None)` (gone from Keras 3;
 * channels-last only): resizes the width by a random factor, so the output width (axis -2) is unknown.
 */
export const RandomWidth = defineLayer({
  className: "RandomWidth",
  defaults: { ...imageDefaults, interpolation: "bilinear", seed: null },
  outputs(ctx) {
    const shape = [...singleImage(ctx).shape];
    shape[shape.length - 2] = null;
    return [shape];
  },
});
