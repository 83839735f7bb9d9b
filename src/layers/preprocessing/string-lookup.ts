import { defineLayer } from "../define.js";
import { lookupDefaults, lookupOutputs } from "./index-lookup.js";

/**
 * `keras.layers.StringLookup(max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]",
 * vocabulary=None, idf_weights=None, invert=False, output_mode="int", pad_to_max_tokens=False, sparse=False,
 * encoding="utf-8", salt=None)`: maps strings to vocabulary indices (int64) or to float32 encodings of the
 * vocabulary size.
 */
export const StringLookup = defineLayer({
  className: "StringLookup",
  defaults: { ...lookupDefaults, oov_token: "[UNK]", encoding: "utf-8" },
  outputs: (ctx) => lookupOutputs(ctx, ctx.config.get("oov_token")),
});
