import { defineLayer } from "../define.js";
import { upSamplingOutputs } from "./up-sampling.js";

/** `keras.layers.UpSampling2D(size=(2, 2), data_format=None, interpolation="nearest")`: input of rank 4. */
export const UpSampling2D = defineLayer({
  className: "UpSampling2D",
  defaults: { size: [2, 2], data_format: null, interpolation: "nearest" },
  outputs: (ctx) => upSamplingOutputs(ctx, 2),
});
