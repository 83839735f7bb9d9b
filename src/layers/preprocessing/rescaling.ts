import { defineLayer } from "../define.js";

/**
 * `keras.layers.Rescaling(scale, offset=0.0)`: `x * scale + offset` on an input of any rank; the output has
 * the input's shape and the compute dtype (integer images come out as floats).
 */
export const Rescaling = defineLayer({
  className: "Rescaling",
  defaults: { offset: 0.0 },
  outputs(ctx) {
    const [x] = ctx.inputs;
    if (!x) return ctx.fail("expects one input tensor. Received: none");
    return [[...x.shape]];
  },
});
