import { defineLayer } from "../define.js";
import { upSamplingOutputs } from "./up-sampling.js";

/** `keras.layers.UpSampling3D(size=(2, 2, 2), data_format=None)`: input of rank 5. */
export const UpSampling3D = defineLayer({
  className: "UpSampling3D",
  defaults: { size: [2, 2, 2], data_format: null },
  outputs: (ctx) => upSamplingOutputs(ctx, 3),
});
