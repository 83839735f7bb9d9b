import { defineLayer } from "../define.js";
import { attentionList, featureDim, wantsScores } from "./attention-args.js";

/**
 * `keras.layers.AdditiveAttention(use_scale=True, dropout=0.0)`: Bahdanau attention on `[query, value]`
 * or `[query, value, key]`, shaped like `Attention`; `scale` has the query's feature size.
 */
export const AdditiveAttention = defineLayer({
  className: "AdditiveAttention",
  defaults: { use_scale: true, dropout: 0.0, seed: null },
  outputs(ctx) {
    const { query, value, key } = attentionList(ctx);
    const out = [...query.slice(0, -1), value.at(-1) ?? null];
    return wantsScores(ctx) ? [out, [...query.slice(0, -1), key.at(-2) ?? null]] : [out];
  },
  weights(ctx) {
    const { query } = attentionList(ctx);
    return [ctx.config.bool("use_scale") && { name: "scale", shape: [featureDim(ctx, query, "query")] }];
  },
});
