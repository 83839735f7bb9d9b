import { defineLayer } from "../define.js";
import { adaptivePoolingDefaults, adaptivePoolingOutputs } from "./base-adaptive-pooling.js";

/** `keras.layers.AdaptiveMaxPooling1D(output_size, data_format=None)`: output_size is an int or 1 ints. */
export const AdaptiveMaxPooling1D = defineLayer({
  className: "AdaptiveMaxPooling1D",
  defaults: adaptivePoolingDefaults,
  outputs: (ctx) => adaptivePoolingOutputs(ctx, 1),
});
