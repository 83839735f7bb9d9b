import { defineLayer } from "../define.js";
import { adaptivePoolingDefaults, adaptivePoolingOutputs } from "./base-adaptive-pooling.js";

/** `keras.layers.AdaptiveAveragePooling3D(output_size, data_format=None)`: output_size is an int or 3 ints. */
export const AdaptiveAveragePooling3D = defineLayer({
  className: "AdaptiveAveragePooling3D",
  defaults: adaptivePoolingDefaults,
  outputs: (ctx) => adaptivePoolingOutputs(ctx, 3),
});
