import { defineLayer } from "../define.js";

/**
 * `keras.layers.CategoryEncoding(num_tokens=None, output_mode="multi_hot", sparse=False)`: encodes integer
 * indices as `num_tokens`-wide vectors in the compute dtype. "multi_hot" and "count" fold the last axis
 * into the encoding; "one_hot" adds one (replacing a trailing axis of size 1 on inputs of rank >= 2).
 * Keras 2's deprecated "binary" means "multi_hot"; TF 2.3-2.4's experimental layer wrote `max_tokens` for
 * `num_tokens` (and had a "tf-idf" mode shaped like "count").
 */
export const CategoryEncoding = defineLayer({
  className: "CategoryEncoding",
  defaults: { num_tokens: null, output_mode: "multi_hot", sparse: false },
  outputs(ctx) {
    const x = ctx.inputs[0];
    if (!x) return ctx.fail("expects one input tensor. Received: none");
    const c = ctx.config;
    const numTokens =
      c.get("num_tokens") == null && c.get("max_tokens") != null
        ? c.positiveInt("max_tokens")
        : c.positiveInt("num_tokens");
    const mode = c.oneOf("output_mode", ["multi_hot", "one_hot", "count", "binary", "tf-idf", "tf_idf"] as const);
    const shape = x.shape;
    // CategoryEncoding.compute_output_shape
    if (shape.length === 0) return [[numTokens]];
    if (mode === "one_hot" && (shape.at(-1) !== 1 || shape.length === 1)) return [[...shape, numTokens]];
    return [[...shape.slice(0, -1), numTokens]];
  },
});
