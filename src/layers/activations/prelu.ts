import type { CallContext } from "../../ir/kind.js";
import { formatShape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";
import { singleInput } from "../input-spec.js";

/**
 * `keras.layers.PReLU(alpha_initializer="Zeros", alpha_regularizer=None, alpha_constraint=None,
 * shared_axes=None)`: one learned slope per element of `input_shape[1:]`, shared (size 1) along `shared_axes`.
 */
export const PReLU = defineLayer({
  className: "PReLU",
  defaults: { alpha_initializer: "Zeros", alpha_regularizer: null, alpha_constraint: null, shared_axes: null },
  outputs: (ctx) => [singleInput(ctx).shape],
  weights: (ctx) => [{ name: "alpha", shape: alphaShape(ctx) }],
});

/** `param_shape = input_shape[1:]`, then `param_shape[i - 1] = 1` for each shared axis (Python indexing). */
function alphaShape(ctx: CallContext): (number | null)[] {
  const x = singleInput(ctx);
  const shape = x.shape.slice(1);
  const shared = ctx.config.get("shared_axes") == null ? [] : ctx.config.intList("shared_axes");
  for (const axis of shared) {
    const i = axis - 1 < 0 ? axis - 1 + shape.length : axis - 1;
    if (i < 0 || i >= shape.length) {
      ctx.fail(
        `shared_axes contains ${axis}, which is not an axis of the input. Received: input_shape=${formatShape(x.shape)}`,
      );
    }
    shape[i] = 1;
  }
  return shape;
}
