import { defineLayer } from "../define.js";
import { poolingDefaults, poolingOutputs } from "./base-pooling.js";

/** `keras.layers.MaxPooling3D(pool_size=(2, 2, 2), strides=None, padding="valid", data_format=None)`. */
export const MaxPooling3D = defineLayer({
  className: "MaxPooling3D",
  aliases: ["MaxPool3D"],
  defaults: poolingDefaults([2, 2, 2]),
  outputs: (ctx) => poolingOutputs(ctx, 3),
});
