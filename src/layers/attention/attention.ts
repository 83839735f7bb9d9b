import { defineLayer } from "../define.js";
import { attentionList, wantsScores } from "./attention-args.js";
import { invalidConfig } from "../config-compat.js";

/**
 * `keras.layers.Attention(use_scale=False, score_mode="dot", dropout=0.0, seed=None)`: dot-product
 * (Luong) attention on `[query, value]` or `[query, value, key]`; output `(*query[:-1], value[-1])`,
 * scores `(*query[:-1], key[-2])` when asked. Scalar weights `scale` (use_scale) and
 * `concat_score_weight` (score_mode "concat").
 */
export const Attention = defineLayer({
  className: "Attention",
  defaults: { use_scale: false, score_mode: "dot", dropout: 0.0, seed: null },
  outputs(ctx) {
    const mode = ctx.config.get("score_mode");
    if (mode !== "dot" && mode !== "concat") {
      invalidConfig(
        ctx,
        `Invalid value for argument score_mode. Expected one of {'dot', 'concat'}. Received: score_mode=${JSON.stringify(mode)}`,
      );
    }
    const { query, value, key } = attentionList(ctx);
    const out = [...query.slice(0, -1), value.at(-1) ?? null];
    return wantsScores(ctx) ? [out, [...query.slice(0, -1), key.at(-2) ?? null]] : [out];
  },
  weights(ctx) {
    return [
      ctx.config.bool("use_scale") && { name: "scale", shape: [] },
      ctx.config.get("score_mode") === "concat" && { name: "concat_score_weight", shape: [] },
    ];
  },
});
