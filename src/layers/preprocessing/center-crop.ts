import { defineLayer } from "../define.js";
import { imageDefaults, resizeSpatial } from "./image-layer.js";

/**
 * `keras.layers.CenterCrop(height, width, data_format=None)`: crops (or, for smaller images, resizes) a single
 * image or a batch to (height, width).
 */
export const CenterCrop = defineLayer({
  className: "CenterCrop",
  defaults: { ...imageDefaults },
  outputs(ctx) {
    return [resizeSpatial(ctx, ctx.config.int("height"), ctx.config.int("width"))];
  },
});
