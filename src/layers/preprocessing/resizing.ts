import { defineLayer } from "../define.js";
import { imageDefaults, resizeSpatial } from "./image-layer.js";

/**
 * `keras.layers.Resizing(height, width, interpolation="bilinear", crop_to_aspect_ratio=False,
 * pad_to_aspect_ratio=False, fill_mode="constant", fill_value=0.0, antialias=False, data_format=None)`:
 * sets the spatial dims of a single image or a batch to (height, width). Keras 2 writes only height, width,
 * interpolation and crop_to_aspect_ratio.
 */
export const Resizing = defineLayer({
  className: "Resizing",
  defaults: {
    ...imageDefaults,
    interpolation: "bilinear",
    crop_to_aspect_ratio: false,
    pad_to_aspect_ratio: false,
    fill_mode: "constant",
    fill_value: 0.0,
    antialias: false,
  },
  outputs(ctx) {
    return [resizeSpatial(ctx, ctx.config.int("height"), ctx.config.int("width"))];
  },
});
