import { defineLayer } from "../define.js";
import { poolingDefaults, poolingOutputs } from "./base-pooling.js";

/** `keras.layers.AveragePooling1D(pool_size, strides=None, padding="valid", data_format=None)`. */
export const AveragePooling1D = defineLayer({
  className: "AveragePooling1D",
  aliases: ["AvgPool1D"],
  defaults: poolingDefaults(),
  outputs: (ctx) => poolingOutputs(ctx, 1),
});
