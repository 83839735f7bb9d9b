import { defineLayer } from "../define.js";
import { poolingDefaults, poolingOutputs } from "./base-pooling.js";

/** `keras.layers.AveragePooling2D(pool_size, strides=None, padding="valid", data_format=None)`. */
export const AveragePooling2D = defineLayer({
  className: "AveragePooling2D",
  aliases: ["AvgPool2D"],
  defaults: poolingDefaults(),
  outputs: (ctx) => poolingOutputs(ctx, 2),
});
