import { defineLayer } from "../define.js";
import { spatialDropoutOutputs } from "./spatial-dropout.js";

/** `keras.layers.SpatialDropout3D(rate, data_format=None, seed=None)`: input of rank 5, same shape out. */
export const SpatialDropout3D = defineLayer({
  className: "SpatialDropout3D",
  defaults: { data_format: null, seed: null },
  outputs: (ctx) => spatialDropoutOutputs(ctx, 3),
});
