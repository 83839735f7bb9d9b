import { defineLayer } from "../define.js";
import { autocastDtype, firstArgTensors } from "../input-spec.js";

/** `keras.layers.Identity()`: returns its input (a tensor or a structure of tensors) unchanged. */
export const Identity = defineLayer({
  className: "Identity",
  defaults: {},
  outputs: (ctx) => firstArgTensors(ctx).map((x) => ({ shape: [...x.shape], dtype: autocastDtype(ctx, x) })),
});
