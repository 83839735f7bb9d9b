/**
 * "Use the same graph of layers to define multiple models": an encoder model and an autoencoder model
 * built on the same layers. Run: npx tsx examples/autoencoder.ts
 */
import { pathToFileURL } from "node:url";
import { Input, Model, clearSession, layers } from "../src/index.js";

// model
export function autoencoderModels(): { encoder: Model; autoencoder: Model } {
  const encoderInput = Input({ shape: [28, 28, 1], name: "img" });
  let x = layers.Conv2D(16, 3, { activation: "relu" })(encoderInput);
  x = layers.Conv2D(32, 3, { activation: "relu" })(x);
  x = layers.MaxPooling2D(3)(x);
  x = layers.Conv2D(32, 3, { activation: "relu" })(x);
  x = layers.Conv2D(16, 3, { activation: "relu" })(x);
  const encoderOutput = layers.GlobalMaxPooling2D()(x);
  const encoder = new Model(encoderInput, encoderOutput, { name: "encoder" });

  x = layers.Reshape([4, 4, 1])(encoderOutput);
  x = layers.Conv2DTranspose(16, 3, { activation: "relu" })(x);
  x = layers.Conv2DTranspose(32, 3, { activation: "relu" })(x);
  x = layers.UpSampling2D(3)(x);
  x = layers.Conv2DTranspose(16, 3, { activation: "relu" })(x);
  const decoderOutput = layers.Conv2DTranspose(1, 3, { activation: "relu" })(x);
  const autoencoder = new Model(encoderInput, decoderOutput, { name: "autoencoder" });
  return { encoder, autoencoder };
}
// end model

export function main(): void {
  clearSession();
  const { encoder, autoencoder } = autoencoderModels();
  encoder.summary({ lineLength: 110 });
  autoencoder.summary({ lineLength: 110 });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
