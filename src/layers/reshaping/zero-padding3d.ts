import { defineLayer } from "../define.js";
import { zeroPaddingOutputs } from "./zero-padding.js";

/** `keras.layers.ZeroPadding3D(padding=((1, 1), (1, 1), (1, 1)), data_format=None)`: input of rank 5. */
export const ZeroPadding3D = defineLayer({
  className: "ZeroPadding3D",
  defaults: {
    padding: [
      [1, 1],
      [1, 1],
      [1, 1],
    ],
    data_format: null,
  },
  outputs: (ctx) => zeroPaddingOutputs(ctx, 3),
});
