import { defineLayer } from "../define.js";
import { imageDefaults, resizeSpatial } from "./image-layer.js";

/**
 * `keras.layers.RandomCrop(height, width, seed=None, data_format=None)`: crops a single image or a batch to
 * (height, width) (and at inference, resizes to it).
 */
export const RandomCrop = defineLayer({
  className: "RandomCrop",
  defaults: { ...imageDefaults, seed: null },
  outputs(ctx) {
    return [resizeSpatial(ctx, ctx.config.int("height"), ctx.config.int("width"))];
  },
});
