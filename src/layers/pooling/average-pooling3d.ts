import { defineLayer } from "../define.js";
import { poolingDefaults, poolingOutputs } from "./base-pooling.js";

/** `keras.layers.AveragePooling3D(pool_size, strides=None, padding="valid", data_format=None)`. */
export const AveragePooling3D = defineLayer({
  className: "AveragePooling3D",
  aliases: ["AvgPool3D"],
  defaults: poolingDefaults(),
  outputs: (ctx) => poolingOutputs(ctx, 3),
});
