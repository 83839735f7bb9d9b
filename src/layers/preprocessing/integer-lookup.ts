import { defineLayer } from "../define.js";
import { lookupDefaults, lookupOutputs } from "./index-lookup.js";

/**
 * `keras.layers.IntegerLookup(max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1,
 * vocabulary=None, vocabulary_dtype="int64", idf_weights=None, invert=False, output_mode="int", sparse=False,
 * pad_to_max_tokens=False, oov_method="floormod", salt=None)`: maps integers to vocabulary indices (int64) or
 * to float32 encodings of the vocabulary size.
 */
export const IntegerLookup = defineLayer({
  className: "IntegerLookup",
  defaults: { ...lookupDefaults, oov_token: -1, vocabulary_dtype: "int64" },
  outputs: (ctx) => lookupOutputs(ctx, ctx.config.get("oov_token")),
});
