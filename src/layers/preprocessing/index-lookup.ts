import type { LayerConfig } from "../../ir/config.js";
import type { TensorSpec } from "../../ir/graph.js";
import type { CallContext } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";

/** The keys `IndexLookup.get_config` writes (StringLookup drops vocabulary_dtype and adds encoding). */
export const lookupDefaults: Record<string, unknown> = {
  max_tokens: null,
  num_oov_indices: 1,
  mask_token: null,
  vocabulary: null,
  idf_weights: null,
  invert: false,
  output_mode: "int",
  sparse: false,
  pad_to_max_tokens: false,
  oov_method: "floormod",
  salt: null,
  vocabulary_size: null,
};

const MODES = ["int", "one_hot", "multi_hot", "count", "tf_idf", "binary", "tf-idf"] as const;

/** `output_mode` with Keras's deprecated names ("binary", "tf-idf") mapped to the current ones. */
export function lookupOutputMode(c: LayerConfig): "int" | "one_hot" | "multi_hot" | "count" | "tf_idf" {
  const mode = c.oneOf("output_mode", MODES);
  return mode === "binary" ? "multi_hot" : mode === "tf-idf" ? "tf_idf" : mode;
}

/**
 * The encoding depth of a non-"int" lookup: `max_tokens` when padded to it, else the vocabulary size
 * (`vocabulary_size` as get_config recorded it after `adapt`, or counted from an inline `vocabulary` the
 * way `set_vocabulary` does: the mask and OOV slots, then the terms); null when unknown (a vocabulary
 * file, or a layer never adapted).
 */
export function lookupDepth(
  c: LayerConfig,
  tokens: { mask: unknown; oov: unknown; numOov: number; mode: string },
): number | null {
  if (c.get("pad_to_max_tokens") === true) return c.optionalInt("max_tokens");
  if (c.get("vocabulary_size") != null) return c.int("vocabulary_size");
  const vocabulary = c.get("vocabulary");
  if (!Array.isArray(vocabulary)) return null;
  const { mask: maskToken, oov: oovToken, numOov } = tokens;
  // IndexLookup._oov_start_index: the mask takes index 0 only in "int" mode.
  const oovStart = maskToken != null && tokens.mode === "int" ? 1 : 0;
  const special = [...Array<unknown>(oovStart).fill(maskToken), ...Array<unknown>(numOov).fill(oovToken)];
  const hasSpecial = vocabulary.length >= special.length && special.every((t, i) => vocabulary[i] === t);
  return oovStart + numOov + vocabulary.length - (hasSpecial ? special.length : 0);
}

/** `IndexLookup.compute_output_shape` for a non-"int" mode: one_hot adds an axis, the others fold the last. */
export function encodedLookupShape(shape: Shape, mode: string, depth: number | null): Shape {
  if (mode === "one_hot")
    return shape.length > 1 && shape.at(-1) === 1 ? [...shape.slice(0, -1), depth] : [...shape, depth];
  return [...shape.slice(0, -1), depth];
}

/**
 * `IndexLookup.compute_output_spec`: "int" keeps the shape and outputs int64 (even with `invert`, whose
 * real output holds vocabulary terms: Keras's symbolic spec says int64); the other modes output floatx.
 */
export function lookupOutputs(ctx: CallContext, oovToken: unknown): TensorSpec[] {
  const x = ctx.inputs[0];
  if (!x) return ctx.fail("expects one input tensor. Received: none");
  const c = ctx.config;
  const mode = lookupOutputMode(c);
  if (c.get("invert") === true && mode !== "int") {
    ctx.fail(`output_mode must be "int" when invert is true. Received: output_mode=${mode}`);
  }
  if (mode === "int") return [{ shape: [...x.shape], dtype: "int64" }];
  const depth = lookupDepth(c, { mask: c.get("mask_token"), oov: oovToken, numOov: c.int("num_oov_indices"), mode });
  return [{ shape: encodedLookupShape(x.shape, mode, depth), dtype: "float32" }];
}

/**
 * `keras.src.layers.IndexLookup(max_tokens, num_oov_indices, mask_token, oov_token, vocabulary_dtype,
 * vocabulary=None, idf_weights=None, invert=False, output_mode="int", sparse=False, pad_to_max_tokens=False,
 * oov_method="floormod", salt=None)`: the base of StringLookup and IntegerLookup.
 */
export const IndexLookup = defineLayer({
  className: "IndexLookup",
  defaults: { ...lookupDefaults },
  outputs: (ctx) => lookupOutputs(ctx, ctx.config.get("oov_token")),
});
