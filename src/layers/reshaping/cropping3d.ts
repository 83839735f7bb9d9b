import { defineLayer } from "../define.js";
import { croppingOutputs } from "./cropping.js";

/** `keras.layers.Cropping3D(cropping=((1, 1), (1, 1), (1, 1)), data_format=None)`: input of rank 5. */
export const Cropping3D = defineLayer({
  className: "Cropping3D",
  defaults: {
    cropping: [
      [1, 1],
      [1, 1],
      [1, 1],
    ],
    data_format: null,
  },
  outputs: (ctx) => croppingOutputs(ctx, 3),
});
