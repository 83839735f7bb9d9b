/**
 * The guide's first model ("Introduction"): an MLP for MNIST's 784-pixel vectors, its summary, saving
 * and loading it back, and a prediction. Run: npx tsx examples/mnist-mlp.ts
 */
import { pathToFileURL } from "node:url";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Input, Model, clearSession, layers, loadModel, ndarray } from "../src/index.js";

// model
export function mnistModel(): Model {
  const inputs = Input({ shape: [784] });
  let x = layers.Dense(64, { activation: "relu" })(inputs);
  x = layers.Dense(64, { activation: "relu" })(x);
  const outputs = layers.Dense(10)(x);
  return new Model({ inputs, outputs, name: "mnist_model" });
}
// end model

export async function main(): Promise<void> {
  clearSession();
  const model = mnistModel();
  console.log(String(model.input), model.inputs[0]!.dtype);
  model.summary({ lineLength: 110 });

  // model.save("path_to_my_model") / keras.models.load_model(...)
  const path = join(mkdtempSync(join(tmpdir(), "kerasgraph-")), "mnist_model.keras");
  await model.save(path);
  const restored = await loadModel(path);
  const x = ndarray("float32", [2, 784], new Float32Array(2 * 784).fill(0.5));
  console.log("predictions:", await restored.predict(x));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
