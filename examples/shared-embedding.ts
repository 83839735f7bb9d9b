/**
 * "Shared layers": one Embedding (and one LSTM) called on two text inputs, so both paths learn the same
 * weights. The guide stops after the shared embedding; as in the fixture Keras made, a shared LSTM and
 * a Dense head finish the model. Run: npx tsx examples/shared-embedding.ts
 */
import { pathToFileURL } from "node:url";
import { Input, Model, clearSession, layers } from "../src/index.js";

export function sharedEmbeddingModel(): Model {
  // model
  // Embedding for 1000 unique words mapped to 128-dimensional vectors
  const sharedEmbedding = layers.Embedding(1000, 128);
  // Variable-length sequences of integers
  const textInputA = Input({ shape: [null], dtype: "int32", name: "text_a" });
  const textInputB = Input({ shape: [null], dtype: "int32", name: "text_b" });
  // Reuse the same layer to encode both inputs
  const encodedInputA = sharedEmbedding(textInputA);
  const encodedInputB = sharedEmbedding(textInputB);
  // end model

  const sharedLstm = layers.LSTM(16);
  const merged = layers.concatenate([sharedLstm(encodedInputA), sharedLstm(encodedInputB)]);
  const outputs = layers.Dense(1, { activation: "sigmoid" })(merged);
  return new Model([textInputA, textInputB], outputs, { name: "shared_embedding" });
}

export function main(): void {
  clearSession();
  sharedEmbeddingModel().summary({ lineLength: 110 });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
