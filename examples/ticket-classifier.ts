/**
 * "Models with multiple inputs and outputs": rank customer tickets by priority and route them to a
 * department, from a title, a body and tags; trained with a loss per output, given by output name.
 * Run: npx tsx examples/ticket-classifier.ts
 */
import { pathToFileURL } from "node:url";
import { Input, Model, clearSession, layers, ndarray } from "../src/index.js";

// model
const numTags = 12; // Number of unique issue tags
const numWords = 10000; // Size of vocabulary obtained when preprocessing text data
const numDepartments = 4; // Number of departments for predictions

export function ticketModel(): Model {
  const titleInput = Input({ shape: [null], name: "title" }); // Variable-length sequence of ints
  const bodyInput = Input({ shape: [null], name: "body" }); // Variable-length sequence of ints
  const tagsInput = Input({ shape: [numTags], name: "tags" }); // Binary vectors of size `numTags`

  // Embed each word in the title and in the text into a 64-dimensional vector
  let titleFeatures = layers.Embedding(numWords, 64)(titleInput);
  let bodyFeatures = layers.Embedding(numWords, 64)(bodyInput);
  // Reduce each sequence of embedded words into a single 128- (title) or 32-dimensional (body) vector
  titleFeatures = layers.LSTM(128)(titleFeatures);
  bodyFeatures = layers.LSTM(32)(bodyFeatures);

  // Merge all available features into a single large vector via concatenation
  const x = layers.concatenate([titleFeatures, bodyFeatures, tagsInput]);
  // A logistic regression for priority, and a department classifier, on top of the features
  const priorityPred = layers.Dense(1, { name: "priority" })(x);
  const departmentPred = layers.Dense(numDepartments, { name: "department" })(x);

  return new Model({ inputs: [titleInput, bodyInput, tagsInput], outputs: [priorityPred, departmentPred] });
}
// end model

/** Dummy data as the guide makes it: integer word ids, binary tags, random targets (fewer samples). */
function dummyData(n: number) {
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const ints = (shape: number[], high: number) =>
    ndarray(
      "int32",
      shape,
      Int32Array.from({ length: shape[0]! * shape[1]! }, () => Math.floor(random() * high)),
    );
  const floats = (shape: number[], f: () => number) =>
    ndarray("float32", shape, Float32Array.from({ length: shape[0]! * shape[1]! }, f));
  return {
    inputs: {
      title: ints([n, 10], numWords),
      body: ints([n, 20], numWords),
      tags: floats([n, numTags], () => Math.round(random())),
    },
    targets: { priority: floats([n, 1], random), department: floats([n, numDepartments], () => Math.round(random())) },
  };
}

export async function main(samples = 64): Promise<void> {
  clearSession();
  const model = ticketModel();
  model.summary({ lineLength: 110 });
  // Losses and loss weights by output name (the output layers' names).
  model.compile({
    optimizer: { class_name: "RMSprop", config: { learning_rate: 1e-3 } },
    loss: {
      priority: { class_name: "BinaryCrossentropy", config: { from_logits: true } },
      department: { class_name: "CategoricalCrossentropy", config: { from_logits: true } },
    },
    lossWeights: { priority: 1.0, department: 0.2 },
  });
  const { inputs, targets } = dummyData(samples);
  const history = await model.fit(inputs, targets, { epochs: 2, batchSize: 32 });
  console.log(history.history);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main(1280);
