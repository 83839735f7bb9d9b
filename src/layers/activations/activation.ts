import { defineLayer } from "../define.js";
import { singleInput } from "../input-spec.js";

/**
 * `keras.layers.Activation(activation)`: applies a named activation ("relu", a Keras 3
 * `{"class_name": "function", ...}` object or a Keras 2 `{"class_name": "ReLU", ...}` object) elementwise.
 */
export const Activation = defineLayer({
  className: "Activation",
  defaults: {},
  outputs: (ctx) => [singleInput(ctx).shape],
});
