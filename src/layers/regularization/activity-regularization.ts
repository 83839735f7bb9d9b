import { defineLayer } from "../define.js";
import { singleInput } from "../input-spec.js";

/** `keras.layers.ActivityRegularization(l1=0.0, l2=0.0)`: identity that adds an L1/L2 loss on its input. */
export const ActivityRegularization = defineLayer({
  className: "ActivityRegularization",
  defaults: { l1: 0.0, l2: 0.0 },
  outputs: (ctx) => [singleInput(ctx).shape],
});
