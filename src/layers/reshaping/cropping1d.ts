import { defineLayer } from "../define.js";
import { croppingOutputs } from "./cropping.js";

/** `keras.layers.Cropping1D(cropping=(1, 1))`: input of rank 3. */
export const Cropping1D = defineLayer({
  className: "Cropping1D",
  defaults: { cropping: [1, 1] },
  outputs: (ctx) => croppingOutputs(ctx, 1),
});
