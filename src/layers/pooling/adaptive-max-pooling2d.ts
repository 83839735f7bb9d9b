import { defineLayer } from "../define.js";
import { adaptivePoolingDefaults, adaptivePoolingOutputs } from "./base-adaptive-pooling.js";

/** `keras.layers.AdaptiveMaxPooling2D(output_size, data_format=None)`: output_size is an int or 2 ints. */
export const AdaptiveMaxPooling2D = defineLayer({
  className: "AdaptiveMaxPooling2D",
  defaults: adaptivePoolingDefaults,
  outputs: (ctx) => adaptivePoolingOutputs(ctx, 2),
});
