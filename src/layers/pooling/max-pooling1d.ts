import { defineLayer } from "../define.js";
import { poolingDefaults, poolingOutputs } from "./base-pooling.js";

/** `keras.layers.MaxPooling1D(pool_size=2, strides=None, padding="valid", data_format=None)`. */
export const MaxPooling1D = defineLayer({
  className: "MaxPooling1D",
  aliases: ["MaxPool1D"],
  defaults: poolingDefaults(2),
  outputs: (ctx) => poolingOutputs(ctx, 1),
});
