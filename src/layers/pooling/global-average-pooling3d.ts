import { defineLayer } from "../define.js";
import { globalPoolingDefaults, globalPoolingOutputs } from "./base-global-pooling.js";

/** `keras.layers.GlobalAveragePooling3D(data_format=None, keepdims=False)`. */
export const GlobalAveragePooling3D = defineLayer({
  className: "GlobalAveragePooling3D",
  aliases: ["GlobalAvgPool3D"],
  defaults: globalPoolingDefaults,
  outputs: (ctx) => globalPoolingOutputs(ctx, 3),
});
