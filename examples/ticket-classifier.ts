/**
 * "Models with multiple inputs and outputs": rank customer tickets by priority and route them to a
 * department, from a title, a body and tags. Run: npx tsx examples/ticket-classifier.ts
 */
import { pathToFileURL } from "node:url";
import { Input, Model, clearSession, layers } from "../src/index.js";

const numTags = 12; // Number of unique issue tags
const numWords = 10000; // Size of vocabulary obtained when preprocessing text data
const numDepartments = 4; // Number of departments for predictions

// model
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

export function main(): void {
  clearSession();
  ticketModel().summary({ lineLength: 110 });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
