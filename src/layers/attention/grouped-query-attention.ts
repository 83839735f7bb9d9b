import type { CallContext, WeightDecl } from "../../ir/kind.js";
import { formatShape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";
import { featureDim, queryValueKey, sameDims, wantsScores } from "./attention-args.js";
import { invalidConfig } from "../config-compat.js";

function sizes(ctx: CallContext): { headDim: number; queryHeads: number; kvHeads: number } {
  const headDim = ctx.config.positiveInt("head_dim");
  const queryHeads = ctx.config.positiveInt("num_query_heads");
  const kvHeads = ctx.config.positiveInt("num_key_value_heads");
  if (queryHeads % kvHeads !== 0) {
    invalidConfig(
      ctx,
      `\`num_query_heads\` must be divisible by \`num_key_value_heads\`. Received: num_query_heads=${queryHeads}, num_key_value_heads=${kvHeads}`,
    );
  }
  return { headDim, queryHeads, kvHeads };
}

function projection(name: string, kernel: number[], bias: number[], useBias: boolean): WeightDecl[] {
  return [{ name: `${name}/kernel`, shape: kernel }, ...(useBias ? [{ name: `${name}/bias`, shape: bias }] : [])];
}

/**
 * `keras.layers.GroupQueryAttention(head_dim, num_query_heads, num_key_value_heads, dropout=0.0,
 * use_bias=True, sliding_window=None, flash_attention=None, ..., use_gate=False, seed=None)` (class
 * `GroupedQueryAttention`), called as `gqa(query, value, key=None, ...)` on `(batch, T, features)`.
 * Output: the query's shape; query and value must share the feature size. Projections `query`
 * `(features, num_query_heads, head_dim)`, `key` and `value` `(features, num_key_value_heads, head_dim)`,
 * optional `gate`, and `attention_output` `(num_query_heads, head_dim, features)`. Scores:
 * `(batch, num_query_heads, Tq, Tkv)`.
 */
export const GroupedQueryAttention = defineLayer({
  className: "GroupedQueryAttention",
  aliases: ["GroupQueryAttention"],
  defaults: {
    dropout: 0.0,
    use_bias: true,
    use_gate: false,
    sliding_window: null,
    kernel_initializer: "glorot_uniform",
    bias_initializer: "zeros",
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
    seed: null,
  },
  outputs(ctx) {
    const { queryHeads } = sizes(ctx);
    const { query, value, key } = queryValueKey(ctx);
    if (query.at(-1) !== value.at(-1)) {
      const v = (d: number | null | undefined) => (d === null || d === undefined ? "None" : d);
      ctx.fail(
        `The last dimension of \`query_shape\` and \`value_shape\` must be equal, but are ${v(query.at(-1))}, ${v(value.at(-1))}. ` +
          `Received: query_shape=${formatShape(query)}, value_shape=${formatShape(value)}`,
      );
    }
    const k = key ?? value;
    if (!sameDims(value.slice(1, -1), k.slice(1, -1))) {
      ctx.fail(
        `All dimensions of \`value\` and \`key\`, except the last one, must be equal. Received: value_shape=${formatShape(value)} and key_shape=${formatShape(k)}`,
      );
    }
    if (!wantsScores(ctx)) return [query];
    return [query, [query[0] ?? null, queryHeads, query[1] ?? null, k[1] ?? null]];
  },
  weights(ctx) {
    const { headDim, queryHeads, kvHeads } = sizes(ctx);
    const { query, value, key } = queryValueKey(ctx);
    const useBias = ctx.config.bool("use_bias");
    const features = featureDim(ctx, query, "query");
    return [
      ...projection("query", [features, queryHeads, headDim], [queryHeads, headDim], useBias),
      ...projection("key", [featureDim(ctx, key ?? value, "key"), kvHeads, headDim], [kvHeads, headDim], useBias),
      ...(ctx.config.get("use_gate") === true
        ? projection("gate", [features, queryHeads, headDim], [queryHeads, headDim], useBias)
        : []),
      ...projection("value", [featureDim(ctx, value, "value"), kvHeads, headDim], [kvHeads, headDim], useBias),
      ...projection("attention_output", [queryHeads, headDim, features], [features], useBias),
    ];
  },
});
