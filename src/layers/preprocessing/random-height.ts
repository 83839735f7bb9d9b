import { defineLayer } from "../define.js";
import { imageDefaults, singleImage } from "./image-layer.js";

/**
 * Keras 2's `tf.keras.layers.RandomHeight(factor, interpolation="bilinear", seed=None)` (gone from Keras 3;
 * channels-last only): resizes the height by a random factor, so the output height (axis -3) is unknown.
 */
export const RandomHeight = defineLayer({
  className: "RandomHeight",
  defaults: { ...imageDefaults, interpolation: "bilinear", seed: null },
  outputs(ctx) {
    const shape = [...singleImage(ctx).shape];
    shape[shape.length - 3] = null;
    return [shape];
  },
});
