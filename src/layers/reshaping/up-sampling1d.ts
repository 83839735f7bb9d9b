import { defineLayer } from "../define.js";
import { upSamplingOutputs } from "./up-sampling.js";

/** `keras.layers.UpSampling1D(size=2)`: input of rank 3. */
export const UpSampling1D = defineLayer({
  className: "UpSampling1D",
  defaults: { size: 2 },
  outputs: (ctx) => upSamplingOutputs(ctx, 1),
});
