/**
 * The guide's first model ("Introduction", "Training, evaluation, and inference", "Save and
 * serialize"): an MLP on 784-pixel vectors, its summary, training with RMSprop, evaluation, and saving
 * and loading it back. MNIST itself is not downloaded here: the stand-in is the 1280 samples Keras
 * trained on for the fixtures (fixtures/keras3/train/data). Run: npx tsx examples/mnist-mlp.ts
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Input, Model, clearSession, layers, loadModel, readNpyFile } from "../src/index.js";

// model
export function mnistModel(): Model {
  const inputs = Input({ shape: [784] });
  let x = layers.Dense(64, { activation: "relu" })(inputs);
  x = layers.Dense(64, { activation: "relu" })(x);
  const outputs = layers.Dense(10)(x);
  return new Model({ inputs, outputs, name: "mnist_model" });
}
// end model

const DATA = join(import.meta.dirname, "../fixtures/keras3/train/data");

/** model.compile(loss=SparseCategoricalCrossentropy(from_logits=True), optimizer=RMSprop(), metrics=["accuracy"]) */
export function compileLikeTheGuide(model: Model): void {
  model.compile({
    loss: { class_name: "SparseCategoricalCrossentropy", config: { from_logits: true } },
    optimizer: "rmsprop",
    metrics: ["accuracy"],
  });
}

export async function main(epochs = 2): Promise<void> {
  clearSession();
  const model = mnistModel();
  console.log(String(model.input));
  model.summary({ lineLength: 110 });

  const [xTrain, yTrain] = [await readNpyFile(join(DATA, "x.npy")), await readNpyFile(join(DATA, "y.npy"))];
  compileLikeTheGuide(model);
  const history = await model.fit(xTrain, yTrain, { batchSize: 64, epochs, validationSplit: 0.2, verbose: 0 });
  console.log(history.history);
  const testScores = await model.evaluate(xTrain, yTrain, { batchSize: 64 });
  console.log("Test loss:", testScores.loss, "Test accuracy:", testScores.accuracy);

  // model.save("path_to_my_model"); model = keras.models.load_model("path_to_my_model")
  const path = join(mkdtempSync(join(tmpdir(), "kerasgraph-")), "mnist_model.keras");
  await model.save(path);
  const restored = await loadModel(path);
  console.log("restored:", restored.name, restored.countParams(), "params");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
