/**
 * "Extract and reuse nodes in the graph of layers": VGG19 (keras.applications' architecture, here at
 * 64×64 as in the fixture Keras made), and a model that returns every layer's activation.
 * Run: npx tsx examples/feature-extraction.ts
 */
import { pathToFileURL } from "node:url";
import { Input, Model, clearSession, layers, ndarray } from "../src/index.js";

/** keras.applications.VGG19(weights=None, input_shape=...): five conv blocks and the classifier. */
export function vgg19(inputShape: number[] = [224, 224, 3]): Model {
  const imgInput = Input({ shape: inputShape });
  let x = imgInput;
  [2, 2, 4, 4, 4].forEach((convs, b) => {
    for (let i = 1; i <= convs; i++) {
      const filters = Math.min(64 * 2 ** b, 512);
      x = layers.Conv2D(filters, [3, 3], { activation: "relu", padding: "same", name: `block${b + 1}_conv${i}` })(x);
    }
    x = layers.MaxPooling2D([2, 2], [2, 2], { name: `block${b + 1}_pool` })(x);
  });
  x = layers.Flatten({ name: "flatten" })(x);
  x = layers.Dense(4096, { activation: "relu", name: "fc1" })(x);
  x = layers.Dense(4096, { activation: "relu", name: "fc2" })(x);
  x = layers.Dense(1000, { activation: "softmax", name: "predictions" })(x);
  return new Model(imgInput, x, { name: "vgg19" });
}

// model
export function featureExtractor(model: Model): Model {
  const featuresList = model.layers.map((layer) => layer.output);
  return new Model({ inputs: model.input, outputs: featuresList });
}
// end model

export async function main(): Promise<void> {
  clearSession();
  const vgg = vgg19([64, 64, 3]);
  const featExtractionModel = featureExtractor(vgg);
  const img = ndarray("float32", [1, 64, 64, 3], Float32Array.from({ length: 64 * 64 * 3 }, Math.random));
  const extractedFeatures = (await featExtractionModel.predict(img)) as { shape: number[] }[];
  for (const [i, layer] of vgg.layers.entries()) console.log(layer.name, extractedFeatures[i]!.shape);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
