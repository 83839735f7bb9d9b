/**
 * "A toy ResNet model": residual connections for CIFAR10. Run: npx tsx examples/toy-resnet.ts
 */
import { pathToFileURL } from "node:url";
import { Input, Model, clearSession, layers } from "../src/index.js";

// model
export function toyResnet(): Model {
  const inputs = Input({ shape: [32, 32, 3], name: "img" });
  let x = layers.Conv2D(32, 3, { activation: "relu" })(inputs);
  x = layers.Conv2D(64, 3, { activation: "relu" })(x);
  const block1Output = layers.MaxPooling2D(3)(x);

  x = layers.Conv2D(64, 3, { activation: "relu", padding: "same" })(block1Output);
  x = layers.Conv2D(64, 3, { activation: "relu", padding: "same" })(x);
  const block2Output = layers.add([x, block1Output]);

  x = layers.Conv2D(64, 3, { activation: "relu", padding: "same" })(block2Output);
  x = layers.Conv2D(64, 3, { activation: "relu", padding: "same" })(x);
  const block3Output = layers.add([x, block2Output]);

  x = layers.Conv2D(64, 3, { activation: "relu" })(block3Output);
  x = layers.GlobalAveragePooling2D()(x);
  x = layers.Dense(256, { activation: "relu" })(x);
  x = layers.Dropout(0.5)(x);
  const outputs = layers.Dense(10)(x);

  return new Model(inputs, outputs, { name: "toy_resnet" });
}
// end model

export function main(): void {
  clearSession();
  toyResnet().summary({ lineLength: 110 });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
