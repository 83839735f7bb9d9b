import type { CallContext, WeightDecl } from "../../ir/kind.js";
import { defineLayer } from "../define.js";
import { singleInput } from "../input-spec.js";
import { withLora } from "./lora.js";

export const embeddingDefaults: Record<string, unknown> = {
  embeddings_initializer: "uniform",
  embeddings_regularizer: null,
  activity_regularizer: null,
  embeddings_constraint: null,
  mask_zero: false,
  quantization_config: null,
};

/**
 * `keras.layers.Embedding(input_dim, output_dim, embeddings_initializer="uniform", ..., mask_zero=False,
 * lora_rank=None)`: indices of any shape -> `(*input_shape, output_dim)` in the compute dtype. Keras 2's
 * `input_length` is ignored, as Keras 3 does.
 */
export const Embedding = defineLayer({
  className: "Embedding",
  defaults: embeddingDefaults,
  outputs: (ctx) => [[...singleInput(ctx).shape, ctx.config.positiveInt("output_dim")]],
  weights: (ctx) => embeddingWeights(ctx),
});

/** `embeddings` of shape `(input_dim, output_dim)`, then the LoRA adapters if `lora_rank` is set. */
export function embeddingWeights(ctx: CallContext): (WeightDecl | false)[] {
  const shape = [ctx.config.positiveInt("input_dim"), ctx.config.positiveInt("output_dim")];
  return withLora(ctx.config, [{ name: "embeddings", shape }], "embeddings", "lora_embeddings");
}
