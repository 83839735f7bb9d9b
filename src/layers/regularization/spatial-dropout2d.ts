import { defineLayer } from "../define.js";
import { spatialDropoutOutputs } from "./spatial-dropout.js";

/** `keras.layers.SpatialDropout2D(rate, data_format=None, seed=None)`: input of rank 4, same shape out. */
export const SpatialDropout2D = defineLayer({
  className: "SpatialDropout2D",
  defaults: { data_format: null, seed: null },
  outputs: (ctx) => spatialDropoutOutputs(ctx, 2),
});
