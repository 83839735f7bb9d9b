import { defineLayer } from "../define.js";
import { globalPoolingDefaults, globalPoolingOutputs } from "./base-global-pooling.js";

/** `keras.layers.GlobalMaxPooling2D(data_format=None, keepdims=False)`. */
export const GlobalMaxPooling2D = defineLayer({
  className: "GlobalMaxPooling2D",
  aliases: ["GlobalMaxPool2D"],
  defaults: globalPoolingDefaults,
  outputs: (ctx) => globalPoolingOutputs(ctx, 2),
});
