import type { CallContext, WeightDecl } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { formatShape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";
import { featureDim, queryValueKey, sameDims, wantsScores } from "./attention-args.js";

/** `output_shape`: None, an int or a list of ints (the query's last axis is replaced by it). */
function outputShapeOf(ctx: CallContext): number[] | null {
  const v = ctx.config.get("output_shape");
  if (v === null || v === undefined || v === 0 || (Array.isArray(v) && v.length === 0)) return null;
  return ctx.config.intList("output_shape");
}

function heads(ctx: CallContext): { numHeads: number; keyDim: number; valueDim: number } {
  const numHeads = ctx.config.positiveInt("num_heads");
  const keyDim = ctx.config.positiveInt("key_dim");
  const valueDim = ctx.config.get("value_dim") ? ctx.config.positiveInt("value_dim") : keyDim;
  return { numHeads, keyDim, valueDim };
}

/** `compute_output_shape`'s check: value and key agree on every axis but the last. */
function checkValueKey(ctx: CallContext, value: Shape, key: Shape): void {
  if (!sameDims(value.slice(1, -1), key.slice(1, -1))) {
    ctx.fail(
      "All dimensions of `value` and `key`, except the last one, must be equal. " +
        `Received: value_shape=${formatShape(value)} and key_shape=${formatShape(key)}`,
    );
  }
}

/** An EinsumDense projection `<name>/kernel` (input features × output dims) and `<name>/bias` (output dims). */
function projection(name: string, kernel: number[], biasDims: number[], useBias: boolean): WeightDecl[] {
  return [{ name: `${name}/kernel`, shape: kernel }, ...(useBias ? [{ name: `${name}/bias`, shape: biasDims }] : [])];
}

/**
 * `keras.layers.MultiHeadAttention(num_heads, key_dim, value_dim=None, dropout=0.0, use_bias=True,
 * output_shape=None, attention_axes=None, sliding_window=None, flash_attention=None, ...,
 * use_gate=False, seed=None)`, called as `mha(query, value, key=None, ..., return_attention_scores=False)`.
 * Output: the query's shape with `output_shape` replacing its last axis. `build` makes EinsumDense
 * projections `query`, `key`, (`gate`,) `value` of kernel `(features, num_heads, dim)` and bias
 * `(num_heads, dim)` whatever the input rank (`_build_proj_equation` with one bound axis), then
 * `attention_output` of kernel `(num_heads, value_dim, *output_shape)` and bias `output_shape`.
 * Keras gives the scores as `(batch, num_heads, Tq, Tq)` (the query length twice), and so do we.
 */
export const MultiHeadAttention = defineLayer({
  className: "MultiHeadAttention",
  defaults: {
    value_dim: null,
    dropout: 0.0,
    use_bias: true,
    output_shape: null,
    attention_axes: null,
    sliding_window: null,
    kernel_initializer: "glorot_uniform",
    bias_initializer: "zeros",
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
    use_gate: false,
    seed: null,
  },
  outputs(ctx) {
    const { numHeads } = heads(ctx);
    const { query, value, key } = queryValueKey(ctx);
    checkValueKey(ctx, value, key ?? value);
    const custom = outputShapeOf(ctx);
    const out = custom ? [...query.slice(0, -1), ...custom] : query;
    if (!wantsScores(ctx)) return [out];
    const length = query[1] ?? null;
    return [out, [query[0] ?? null, numHeads, length, length]];
  },
  weights(ctx) {
    const { numHeads, keyDim, valueDim } = heads(ctx);
    const { query, value, key } = queryValueKey(ctx);
    checkValueKey(ctx, value, key ?? value);
    const useBias = ctx.config.bool("use_bias");
    const q = featureDim(ctx, query, "query");
    const output = outputShapeOf(ctx) ?? [q];
    return [
      ...projection("query", [q, numHeads, keyDim], [numHeads, keyDim], useBias),
      ...projection("key", [featureDim(ctx, key ?? value, "key"), numHeads, keyDim], [numHeads, keyDim], useBias),
      ...(ctx.config.get("use_gate") === true
        ? projection("gate", [q, numHeads, valueDim], [numHeads, valueDim], useBias)
        : []),
      ...projection("value", [featureDim(ctx, value, "value"), numHeads, valueDim], [numHeads, valueDim], useBias),
      ...projection("attention_output", [numHeads, valueDim, ...output], output, useBias),
    ];
  },
});
