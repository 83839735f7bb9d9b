import { defineLayer } from "../define.js";
import { globalPoolingDefaults, globalPoolingOutputs } from "./base-global-pooling.js";

/** `keras.layers.GlobalAveragePooling1D(data_format=None, keepdims=False)`. */
export const GlobalAveragePooling1D = defineLayer({
  className: "GlobalAveragePooling1D",
  aliases: ["GlobalAvgPool1D"],
  defaults: globalPoolingDefaults,
  outputs: (ctx) => globalPoolingOutputs(ctx, 1),
});
