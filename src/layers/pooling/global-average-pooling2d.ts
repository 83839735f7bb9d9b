import { defineLayer } from "../define.js";
import { globalPoolingDefaults, globalPoolingOutputs } from "./base-global-pooling.js";

/** `keras.layers.GlobalAveragePooling2D(data_format=None, keepdims=False)`. */
export const GlobalAveragePooling2D = defineLayer({
  className: "GlobalAveragePooling2D",
  aliases: ["GlobalAvgPool2D"],
  defaults: globalPoolingDefaults,
  outputs: (ctx) => globalPoolingOutputs(ctx, 2),
});
