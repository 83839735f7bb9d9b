import type { WeightDecl } from "../../ir/kind.js";
import { defineLayer } from "../define.js";
import { checkAxesInBounds, knownDim, singleInput } from "./axes.js";

/**
 * `keras.layers.BatchNormalization(axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True, ...,
 * renorm=False, renorm_clipping=None, renorm_momentum=0.99, synchronized=False)`. Builds `gamma` (if
 * scale), `beta` (if center), then the non-trainable `moving_mean`, `moving_variance` (and, with renorm,
 * `moving_stddev`, `renorm_mean`, `renorm_stddev`), all of the size of `axis`. tf.keras writes `axis`
 * as a list (`[3]`); with several axes its parameters take the input's rank with 1 elsewhere.
 */
export const BatchNormalization = defineLayer({
  className: "BatchNormalization",
  aliases: ["BatchNormalizationV1", "BatchNormalizationV2", "SyncBatchNormalization"],
  defaults: {
    axis: -1,
    momentum: 0.99,
    epsilon: 1e-3,
    center: true,
    scale: true,
    beta_initializer: "zeros",
    gamma_initializer: "ones",
    moving_mean_initializer: "zeros",
    moving_variance_initializer: "ones",
    beta_regularizer: null,
    gamma_regularizer: null,
    beta_constraint: null,
    gamma_constraint: null,
    synchronized: false,
    renorm: false,
    renorm_clipping: null,
    renorm_momentum: 0.99,
  },
  outputs(ctx) {
    const shape = singleInput(ctx);
    checkAxesInBounds(ctx, ctx.config.intList("axis"), shape, ctx.config.get("axis"));
    return [shape];
  },
  weights(ctx) {
    const shape = singleInput(ctx);
    const axes = ctx.config.intList("axis");
    let param: number[];
    if (axes.length === 1) param = [knownDim(ctx, shape, axes[0]!, "gamma and beta")];
    else {
      const norm = axes.map((a) => (a < 0 ? a + shape.length : a));
      param = shape.map((_, i) => (norm.includes(i) ? knownDim(ctx, shape, i, "gamma and beta") : 1));
    }
    const c = ctx.config;
    const stat = (name: string): WeightDecl => ({ name, shape: param, trainable: false });
    return [
      c.bool("scale") && { name: "gamma", shape: param },
      c.bool("center") && { name: "beta", shape: param },
      stat("moving_mean"),
      stat("moving_variance"),
      ...(c.get("renorm") === true ? [stat("moving_stddev"), stat("renorm_mean"), stat("renorm_stddev")] : []),
    ];
  },
});
