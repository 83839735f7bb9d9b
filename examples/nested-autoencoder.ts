/**
 * "All models are callable, just like layers": an encoder model and a decoder model, chained in two
 * calls to make an autoencoder. Run: npx tsx examples/nested-autoencoder.ts
 */
import { pathToFileURL } from "node:url";
import { Input, Model, clearSession, layers } from "../src/index.js";

// model
export function nestedAutoencoder(): { encoder: Model; decoder: Model; autoencoder: Model } {
  const encoderInput = Input({ shape: [28, 28, 1], name: "original_img" });
  let x = layers.Conv2D(16, 3, { activation: "relu" })(encoderInput);
  x = layers.Conv2D(32, 3, { activation: "relu" })(x);
  x = layers.MaxPooling2D(3)(x);
  x = layers.Conv2D(32, 3, { activation: "relu" })(x);
  x = layers.Conv2D(16, 3, { activation: "relu" })(x);
  const encoderOutput = layers.GlobalMaxPooling2D()(x);
  const encoder = new Model(encoderInput, encoderOutput, { name: "encoder" });

  const decoderInput = Input({ shape: [16], name: "encoded_img" });
  x = layers.Reshape([4, 4, 1])(decoderInput);
  x = layers.Conv2DTranspose(16, 3, { activation: "relu" })(x);
  x = layers.Conv2DTranspose(32, 3, { activation: "relu" })(x);
  x = layers.UpSampling2D(3)(x);
  x = layers.Conv2DTranspose(16, 3, { activation: "relu" })(x);
  const decoderOutput = layers.Conv2DTranspose(1, 3, { activation: "relu" })(x);
  const decoder = new Model(decoderInput, decoderOutput, { name: "decoder" });

  const autoencoderInput = Input({ shape: [28, 28, 1], name: "img" });
  const encodedImg = encoder(autoencoderInput);
  const decodedImg = decoder(encodedImg);
  const autoencoder = new Model(autoencoderInput, decodedImg, { name: "autoencoder" });
  return { encoder, decoder, autoencoder };
}
// end model

export function main(): void {
  clearSession();
  const { encoder, decoder, autoencoder } = nestedAutoencoder();
  encoder.summary({ lineLength: 110 });
  decoder.summary({ lineLength: 110 });
  autoencoder.summary({ lineLength: 110 });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
