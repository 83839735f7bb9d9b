import { invalidConfig } from "../config-compat.js";
import { defineLayer } from "../define.js";
import { autocastDtype, singleInput } from "../input-spec.js";

/**
 * `keras.layers.Permute(dims)`: `dims` is a permutation of `1..n` (the batch axis stays first); the input
 * must have rank `n + 1`. Keeps the input's dtype.
 */
export const Permute = defineLayer({
  className: "Permute",
  defaults: {},
  outputs(ctx) {
    const dims = ctx.config.intList("dims");
    const sorted = [...dims].sort((a, b) => a - b);
    if (!sorted.every((d, i) => d === i + 1)) {
      invalidConfig(
        ctx,
        `Invalid permutation argument \`dims\` for Permute Layer. The set of indices in \`dims\` must be consecutive ` +
          `and start from 1. Received dims=${JSON.stringify(dims)}`,
      );
    }
    const x = singleInput(ctx, { ndim: dims.length + 1 });
    return [{ shape: [x.shape[0] ?? null, ...dims.map((d) => x.shape[d] ?? null)], dtype: autocastDtype(ctx, x) }];
  },
});
