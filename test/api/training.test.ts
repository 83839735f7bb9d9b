/**
 * Training through the Functional API (the tfjs executor underneath): the guide's MNIST model, built
 * here and started from the weights Keras started from (train/mlp_rmsprop/initial.keras), compiled as
 * the guide compiles it, reports Keras's per-epoch history within 1e-3 relative; the ticket classifier
 * trains with losses and loss weights given by output name, and reports Keras's per-output keys.
 */
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { compileLikeTheGuide, mnistModel } from "../../examples/mnist-mlp.js";
import { ticketModel } from "../../examples/ticket-classifier.js";
import { type NdArray, clearSession, ndarray } from "../../src/api/index.js";
import { readNpyFile } from "../../src/formats/npy/read.js";
import { KERAS3, readJson } from "../support/fixtures.js";

beforeEach(() => clearSession());

const TRAIN = join(KERAS3, "train");

describe("training with Keras's results", () => {
  it("the guide's MNIST model with RMSprop follows Keras's history", async () => {
    const trace = readJson<{ history: Record<string, number[]>; fit: Record<string, number | boolean> }>(
      join(TRAIN, "mlp_rmsprop/trace.json"),
    );
    const model = mnistModel();
    await model.loadWeights(join(TRAIN, "mlp_rmsprop/initial.keras"));
    compileLikeTheGuide(model);
    const [x, y] = [await readNpyFile(join(TRAIN, "data/x.npy")), await readNpyFile(join(TRAIN, "data/y.npy"))];
    const history = await model.fit(x, y, {
      batchSize: 64,
      epochs: 3,
      validationSplit: 0.2,
      shuffle: false,
      verbose: 0,
    });
    for (const [key, want] of Object.entries(trace.history)) {
      want.forEach((w, epoch) => {
        const got = history.history[key]![epoch]!;
        expect(Math.abs(got - w) / Math.abs(w), `${key}[${epoch}]: ${got} vs ${w}`).toBeLessThanOrEqual(1e-3);
      });
    }
    // The trained weights are the model's now: predict (onnxruntime) sees them.
    const before = await mnistModel().predict(ndarray("float32", [1, 784], x.data.subarray(0, 784) as Float32Array));
    const after = await model.predict(ndarray("float32", [1, 784], x.data.subarray(0, 784) as Float32Array));
    expect((after as NdArray).data).not.toEqual((before as NdArray).data);
  });

  it("the ticket classifier trains with dict losses and loss weights", async () => {
    const model = ticketModel();
    model.compile({
      optimizer: { class_name: "RMSprop", config: { learning_rate: 1e-3 } },
      loss: {
        priority: { class_name: "BinaryCrossentropy", config: { from_logits: true } },
        department: { class_name: "CategoricalCrossentropy", config: { from_logits: true } },
      },
      lossWeights: { priority: 1.0, department: 0.2 },
    });
    const n = 32;
    const ints = (shape: number[], high: number) =>
      ndarray(
        "int32",
        shape,
        Int32Array.from({ length: shape[0]! * shape[1]! }, (_, i) => (i * 7919) % high),
      );
    const floats = (shape: number[], f: (i: number) => number) =>
      ndarray(
        "float32",
        shape,
        Float32Array.from({ length: shape[0]! * shape[1]! }, (_, i) => f(i)),
      );
    const history = await model.fit(
      { title: ints([n, 10], 10000), body: ints([n, 10], 10000), tags: floats([n, 12], (i) => (i * 31) % 2) },
      {
        priority: floats([n, 1], (i) => (i % 10) / 10),
        department: floats([n, 4], (i) => ((i * 13) % 4 === 0 ? 1 : 0)),
      },
      { epochs: 2, batchSize: 32, verbose: 0 },
    );
    expect(Object.keys(history.history).sort()).toEqual(["department_loss", "loss", "priority_loss"]);
    const { loss, priority_loss, department_loss } = history.history as Record<string, number[]>;
    expect(loss![1]).toBeCloseTo(priority_loss![1]! + 0.2 * department_loss![1]!, 4);
  });
});
