import type { TensorSpec } from "../../ir/graph.js";
import type { CallContext } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { formatShape } from "../../ir/shape.js";

const isSpec = (v: unknown): v is TensorSpec =>
  !!v && typeof v === "object" && !Array.isArray(v) && Array.isArray((v as TensorSpec).shape);

/** Whether the call asked for the attention scores as a second output (`return_attention_scores=True`). */
export function wantsScores(ctx: CallContext): boolean {
  return ctx.kwargs.return_attention_scores === true;
}

/**
 * `[query, value]` or `[query, value, key]`, the list Attention and AdditiveAttention are called on
 * (`Attention._validate_inputs`).
 */
export function attentionList(ctx: CallContext): { query: Shape; value: Shape; key: Shape } {
  const list = ctx.args[0];
  const name = ctx.layer.className;
  if (!Array.isArray(list) || !list.every(isSpec)) {
    const got = isSpec(list) ? formatShape(list.shape) : JSON.stringify(list);
    return ctx.fail(
      `${name} layer must be called on a list of inputs, namely [query, value] or [query, value, key]. Received: inputs=${got}.`,
    );
  }
  if (list.length < 2 || list.length > 3) {
    ctx.fail(
      `${name} layer accepts inputs list of length 2 or 3, namely [query, value] or [query, value, key]. Received length: ${list.length}.`,
    );
  }
  const [query, value, key] = list.map((s) => s.shape);
  return { query: query!, value: value!, key: key ?? value! };
}

/**
 * `call(query, value, key=None, ...)` of MultiHeadAttention and GroupedQueryAttention, given
 * positionally or by keyword (Keras 2 records `value` as a keyword). `key` is null when absent.
 */
export function queryValueKey(ctx: CallContext): { query: Shape; value: Shape; key: Shape | null } {
  const pick = (i: number, name: string): TensorSpec | undefined => {
    const v = ctx.args[i] ?? ctx.kwargs[name];
    return isSpec(v) ? v : undefined;
  };
  const query = pick(0, "query");
  const value = pick(1, "value");
  if (!query || !value) {
    return ctx.fail(
      `must be called with \`query\` and \`value\` tensors. Received: ${query ? "no value" : "no query"}`,
    );
  }
  return { query: query.shape, value: value.shape, key: pick(2, "key")?.shape ?? null };
}

/** Python's comparison of two shape tuples (None equals only None). */
export function sameDims(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The last axis of an input, which sizes a projection kernel; unknown means Keras cannot build. */
export function featureDim(ctx: CallContext, shape: Shape, what: string): number {
  const d = shape.at(-1);
  if (d === null || d === undefined) {
    ctx.fail(
      `the last dimension of \`${what}\` must be known to build the projection kernels. Received: ${what}_shape=${formatShape(shape)}`,
    );
  }
  return d;
}
