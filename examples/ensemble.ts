/**
 * Nesting models for ensembling: three models called on the same input, their predictions averaged.
 * Run: npx tsx examples/ensemble.ts
 */
import { pathToFileURL } from "node:url";
import { Input, Model, clearSession, layers } from "../src/index.js";

// model
function getModel(): Model {
  const inputs = Input({ shape: [128] });
  const outputs = layers.Dense(1)(inputs);
  return new Model(inputs, outputs);
}

export function ensembleModel(): Model {
  const [model1, model2, model3] = [getModel(), getModel(), getModel()];
  const inputs = Input({ shape: [128] });
  const [y1, y2, y3] = [model1(inputs), model2(inputs), model3(inputs)];
  const outputs = layers.average([y1, y2, y3]);
  return new Model({ inputs, outputs });
}
// end model

export function main(): void {
  clearSession();
  ensembleModel().summary({ lineLength: 110 });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
