import { defineShapePreservingImageLayer, VALUE_RANGE } from "./image-layer.js";

/**
 * `keras.layers.ContrastLimitedAdaptiveHistogramEqualization(value_range=(0, 255), clip_limit=4.0,
 * tile_grid_size=(8, 8), data_format=None)`: keeps the input shape and outputs the compute dtype.
 */
export const ContrastLimitedAdaptiveHistogramEqualization = defineShapePreservingImageLayer({
  className: "ContrastLimitedAdaptiveHistogramEqualization",
  defaults: { value_range: VALUE_RANGE, clip_limit: 4, tile_grid_size: [8, 8] },
});
