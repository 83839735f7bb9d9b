import { defineLayer } from "../define.js";
import { poolingDefaults, poolingOutputs } from "./base-pooling.js";

/** `keras.layers.MaxPooling2D(pool_size=(2, 2), strides=None, padding="valid", data_format=None)`. */
export const MaxPooling2D = defineLayer({
  className: "MaxPooling2D",
  aliases: ["MaxPool2D"],
  defaults: poolingDefaults([2, 2]),
  outputs: (ctx) => poolingOutputs(ctx, 2),
});
