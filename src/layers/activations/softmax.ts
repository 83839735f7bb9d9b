import { defineLayer } from "../define.js";
import { singleInput } from "../input-spec.js";

/** `keras.layers.Softmax(axis=-1)`, called as `layer(inputs, mask=None)`: the output has the inputs' shape. */
export const Softmax = defineLayer({
  className: "Softmax",
  defaults: { axis: -1 },
  outputs: (ctx) => [singleInput(ctx).shape],
});
