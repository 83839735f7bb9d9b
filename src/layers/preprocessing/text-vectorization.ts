import type { TensorSpec } from "../../ir/graph.js";
import { formatShape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";
import { encodedLookupShape, lookupDepth, lookupOutputMode } from "./index-lookup.js";

/**
 * `keras.layers.TextVectorization(max_tokens=None, standardize="lower_and_strip_punctuation",
 * split="whitespace", ngrams=None, output_mode="int", output_sequence_length=None, pad_to_max_tokens=False,
 * vocabulary=None, idf_weights=None, sparse=False, ragged=False, encoding="utf-8")`: strings to token ids,
 * `(batch, output_sequence_length)` int64 (length null unless set); the other modes split each string into
 * a token axis and encode it with an inner StringLookup (mask "", one OOV "[UNK]") as float32.
 */
export const TextVectorization = defineLayer({
  className: "TextVectorization",
  defaults: {
    max_tokens: null,
    standardize: "lower_and_strip_punctuation",
    split: "whitespace",
    ngrams: null,
    output_mode: "int",
    output_sequence_length: null,
    pad_to_max_tokens: false,
    vocabulary: null,
    idf_weights: null,
    sparse: false,
    ragged: false,
    encoding: "utf-8",
    vocabulary_size: null,
  },
  outputs(ctx): TensorSpec[] {
    const x = ctx.inputs[0];
    if (!x) return ctx.fail("expects one input tensor. Received: none");
    const c = ctx.config;
    const mode = lookupOutputMode(c);
    // TextVectorization.compute_output_shape
    if (mode === "int") {
      if (x.shape.length === 0)
        ctx.fail(`expects a batch of strings (rank >= 1). Received: input_shape=${formatShape(x.shape)}`);
      return [{ shape: [x.shape[0]!, c.optionalInt("output_sequence_length")], dtype: "int64" }];
    }
    let shape = [...x.shape];
    if (c.get("split") == null) {
      if (shape.length <= 1) shape = [...shape, 1];
    } else {
      shape = [...shape, null];
    }
    const depth = lookupDepth(c, { mask: "", oov: "[UNK]", numOov: 1, mode });
    return [{ shape: encodedLookupShape(shape, mode, depth), dtype: "float32" }];
  },
});
