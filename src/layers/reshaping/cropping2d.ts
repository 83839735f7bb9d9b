import { defineLayer } from "../define.js";
import { croppingOutputs } from "./cropping.js";

/** `keras.layers.Cropping2D(cropping=((0, 0), (0, 0)), data_format=None)`: input of rank 4. */
export const Cropping2D = defineLayer({
  className: "Cropping2D",
  defaults: {
    cropping: [
      [0, 0],
      [0, 0],
    ],
    data_format: null,
  },
  outputs: (ctx) => croppingOutputs(ctx, 2),
});
