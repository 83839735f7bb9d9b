import { defineLayer } from "../define.js";
import { singleInput } from "../input-spec.js";
import { embeddingDefaults, embeddingWeights } from "./embedding.js";

/**
 * `keras.layers.ReversibleEmbedding(input_dim, output_dim, tie_weights=True, ..., reverse_dtype=None,
 * logit_soft_cap=None)`: an Embedding that, called with `reverse=True`, maps `(..., output_dim)` back to
 * `(..., input_dim)` logits through the transposed (or, untied, its own `reverse_embeddings`) matrix.
 */
export const ReversibleEmbedding = defineLayer({
  className: "ReversibleEmbedding",
  defaults: { ...embeddingDefaults, tie_weights: true, reverse_dtype: null, logit_soft_cap: null },
  outputs(ctx) {
    const x = singleInput(ctx);
    if (ctx.kwargs.reverse === true) {
      if (x.shape.length === 0) ctx.fail("reverse=True needs an input of rank >= 1. Received: a scalar");
      return [[...x.shape.slice(0, -1), ctx.config.positiveInt("input_dim")]];
    }
    return [[...x.shape, ctx.config.positiveInt("output_dim")]];
  },
  weights: (ctx) => [
    ...embeddingWeights(ctx),
    !ctx.config.bool("tie_weights") && {
      name: "reverse_embeddings",
      shape: [ctx.config.positiveInt("output_dim"), ctx.config.positiveInt("input_dim")],
    },
  ],
});
