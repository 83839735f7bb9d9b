import { defineLayer } from "../define.js";
import { globalPoolingDefaults, globalPoolingOutputs } from "./base-global-pooling.js";

/** `keras.layers.GlobalMaxPooling3D(data_format=None, keepdims=False)`. */
export const GlobalMaxPooling3D = defineLayer({
  className: "GlobalMaxPooling3D",
  aliases: ["GlobalMaxPool3D"],
  defaults: globalPoolingDefaults,
  outputs: (ctx) => globalPoolingOutputs(ctx, 3),
});
