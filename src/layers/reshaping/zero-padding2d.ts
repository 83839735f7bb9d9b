import { defineLayer } from "../define.js";
import { zeroPaddingOutputs } from "./zero-padding.js";

/** `keras.layers.ZeroPadding2D(padding=(1, 1), data_format=None)`: input of rank 4. */
export const ZeroPadding2D = defineLayer({
  className: "ZeroPadding2D",
  defaults: { padding: [1, 1], data_format: null },
  outputs: (ctx) => zeroPaddingOutputs(ctx, 2),
});
