import { defineLayer } from "../define.js";
import { zeroPaddingOutputs } from "./zero-padding.js";

/** `keras.layers.ZeroPadding1D(padding=1, data_format=None)`: input of rank 3. */
export const ZeroPadding1D = defineLayer({
  className: "ZeroPadding1D",
  defaults: { padding: 1, data_format: null },
  outputs: (ctx) => zeroPaddingOutputs(ctx, 1),
});
