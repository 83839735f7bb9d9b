import { defineLayer } from "../define.js";
import { globalPoolingDefaults, globalPoolingOutputs } from "./base-global-pooling.js";

/** `keras.layers.GlobalMaxPooling1D(data_format=None, keepdims=False)`. */
export const GlobalMaxPooling1D = defineLayer({
  className: "GlobalMaxPooling1D",
  aliases: ["GlobalMaxPool1D"],
  defaults: globalPoolingDefaults,
  outputs: (ctx) => globalPoolingOutputs(ctx, 1),
});
