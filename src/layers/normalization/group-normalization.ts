import { formatShape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";
import { checkAxesInBounds, dimAt, singleInput } from "./axes.js";
import type { CallContext } from "../../ir/kind.js";
import { invalidConfig } from "../config-compat.js";

/** GroupNormalization.build: the channel size, and the group count it must divide. */
function channels(ctx: CallContext): number {
  const shape = singleInput(ctx);
  const axis = ctx.config.int("axis");
  checkAxesInBounds(ctx, [axis], shape, axis);
  const dim = dimAt(shape, axis);
  if (dim === null) {
    ctx.fail(
      `Axis ${axis} of input tensor should have a defined dimension but the layer received an input with shape ${formatShape(shape)}.`,
    );
  }
  let groups = ctx.config.int("groups");
  if (groups <= 0 && groups !== -1) {
    invalidConfig(
      ctx,
      `Received an invalid value for argument \`groups\`, expected a positive integer (or \`-1\` for instance normalization). Received: groups=${groups}`,
    );
  }
  if (groups === -1) groups = dim;
  if (dim < groups) ctx.fail(`Number of groups (${groups}) cannot be more than the number of channels (${dim}).`);
  if (dim % groups !== 0)
    ctx.fail(`Number of groups (${groups}) must be a multiple of the number of channels (${dim}).`);
  return dim;
}

/**
 * `keras.layers.GroupNormalization(groups=32, axis=-1, epsilon=1e-3, center=True, scale=True, ...)`:
 * `groups` must divide the (known) size of `axis`; `-1` means one group per channel. `gamma` and
 * `beta` have the channel size.
 */
export const GroupNormalization = defineLayer({
  className: "GroupNormalization",
  defaults: {
    groups: 32,
    axis: -1,
    epsilon: 1e-3,
    center: true,
    scale: true,
    beta_initializer: "zeros",
    gamma_initializer: "ones",
    beta_regularizer: null,
    gamma_regularizer: null,
    beta_constraint: null,
    gamma_constraint: null,
  },
  outputs(ctx) {
    channels(ctx);
    return [singleInput(ctx)];
  },
  weights(ctx) {
    const dim = channels(ctx);
    return [
      ctx.config.bool("scale") && { name: "gamma", shape: [dim] },
      ctx.config.bool("center") && { name: "beta", shape: [dim] },
    ];
  },
});
