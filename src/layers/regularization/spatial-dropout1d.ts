import { defineLayer } from "../define.js";
import { spatialDropoutOutputs } from "./spatial-dropout.js";

/** `keras.layers.SpatialDropout1D(rate, seed=None)`: input of rank 3, same shape out. */
export const SpatialDropout1D = defineLayer({
  className: "SpatialDropout1D",
  defaults: { seed: null },
  outputs: (ctx) => spatialDropoutOutputs(ctx, 1),
});
