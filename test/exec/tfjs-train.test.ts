/**
 * kerasgraph's trainer beyond the parity traces: the Functional API guide's multi-output ticket
 * classifier with losses and loss weights by output name (Keras's history keys), compile arguments
 * in every form Keras takes, and the errors raised before training starts.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TfjsModel } from "../../src/exec/tfjs/model.js";
import type { NdArray } from "../../src/formats/npy/index.js";
import { readNpyFile } from "../../src/formats/npy/index.js";
import { ShapeError } from "../../src/ir/errors.js";
import { KERAS3 } from "../support/fixtures.js";

/** A reproducible stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 4294967296;
}

function array(shape: number[], fill: (i: number) => number, dtype: "float32" | "int32" = "float32"): NdArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = dtype === "int32" ? new Int32Array(n) : new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = fill(i);
  return { dtype, shape, data };
}

describe("the ticket classifier (two outputs, dict losses and loss weights)", () => {
  let model: TfjsModel;
  const r = random(7);
  const n = 48;
  const x = {
    title: array([n, 10], () => Math.floor(r() * 10000)),
    body: array([n, 20], () => Math.floor(r() * 10000)),
    tags: array([n, 12], () => (r() < 0.5 ? 1 : 0)),
  };
  const y = {
    priority: array([n, 1], () => r()),
    department: array([n, 4], () => (r() < 0.5 ? 1 : 0)),
  };
  beforeAll(async () => {
    model = await TfjsModel.load(join(KERAS3, "seed/ticket_classifier/model.keras"));
  });
  afterAll(() => model.dispose());

  it("reports loss, each output's loss and metrics under Keras's keys", async () => {
    model.compile({
      optimizer: { class_name: "RMSprop", config: { learning_rate: 1e-3 } },
      loss: {
        priority: { class_name: "BinaryCrossentropy", config: { from_logits: true } },
        department: { class_name: "CategoricalCrossentropy", config: { from_logits: true } },
      },
      lossWeights: { priority: 1.0, department: 0.2 },
      metrics: { priority: ["mae"] },
    });
    const history = await model.fit(x, y, { batchSize: 16, epochs: 2, validationSplit: 0.25, verbose: 0 });
    expect(Object.keys(history.history)).toEqual([
      "department_loss",
      "loss",
      "priority_loss",
      "priority_mae",
      "val_department_loss",
      "val_loss",
      "val_priority_loss",
      "val_priority_mae",
    ]);
    // The total is the weighted sum of the per-output losses (each a batch-size-weighted mean).
    for (const prefix of ["", "val_"]) {
      const h = history.history;
      h[`${prefix}loss`]!.forEach((total, e) =>
        expect(total).toBeCloseTo(h[`${prefix}priority_loss`]![e]! + 0.2 * h[`${prefix}department_loss`]![e]!, 5),
      );
    }
  });

  it("takes losses as a list in output order and targets as a list", async () => {
    model.compile({
      optimizer: "adam",
      loss: ["mse", { class_name: "CategoricalCrossentropy", config: { from_logits: true } }],
      lossWeights: [1, 0.5],
    });
    const logs = await model.evaluate([x.title, x.body, x.tags], [y.priority, y.department], { batchSize: 16 });
    expect(Object.keys(logs)).toEqual(["department_loss", "loss", "priority_loss"]);
    expect(logs.loss).toBeCloseTo(logs.priority_loss! + 0.5 * logs.department_loss!, 5);
  });

  it("refuses losses keyed by names that are not outputs", () => {
    model.compile({ optimizer: "sgd", loss: { priority: "mse", dept: "mse" } });
    return expect(model.fit(x, y, { verbose: 0 })).rejects.toThrow(
      /output names \["priority","department"\]. Received: loss keys \["priority","dept"\]/,
    );
  });
});

describe("bad input is refused before the first step", () => {
  let model: TfjsModel;
  let x: NdArray;
  let y: NdArray;
  beforeAll(async () => {
    model = await TfjsModel.load(join(KERAS3, "train/mlp_adam/initial.keras"));
    x = await readNpyFile(join(KERAS3, "train/data/x.npy"));
    y = await readNpyFile(join(KERAS3, "train/data/y.npy"));
  });
  afterAll(() => model.dispose());

  const rows = (a: NdArray, n: number): NdArray => ({
    ...a,
    shape: [n, ...a.shape.slice(1)],
    data: a.data.subarray(0, (n * a.data.length) / a.shape[0]!),
  });

  /** Runs `fit` expecting an error, and checks that no weight moved. */
  async function refused(run: () => Promise<unknown>, message: RegExp): Promise<void> {
    const before = model.model.getWeights().map((w) => w.dataSync().slice());
    const error = await run().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ShapeError);
    expect((error as Error).message).toMatch(message);
    model.model.getWeights().forEach((w, i) => expect(w.dataSync()).toEqual(before[i]));
  }

  it("x and y of different lengths", async () => {
    await refused(
      () => model.fit(rows(x, 100), rows(y, 99), { verbose: 0 }),
      /same number of samples. Received: input_layer: 100, dense_2: 99/,
    );
  });

  it("x of the wrong shape or dtype", async () => {
    const wide: NdArray = { dtype: "float32", shape: [4, 785], data: new Float32Array(4 * 785) };
    await refused(
      () => model.fit(wide, rows(y, 4), { verbose: 0 }),
      /x 'input_layer' must have shape \(None, 784\). Received: \(4, 785\)/,
    );
    const half: NdArray = { dtype: "float16", shape: [4, 784], data: new Uint16Array(4 * 784) };
    await refused(() => model.fit(half, rows(y, 4), { verbose: 0 }), /float16; kerasgraph trains on float32 data/);
  });

  it("labels that are not class indices of the output", async () => {
    const fractional: NdArray = { dtype: "float32", shape: [4], data: Float32Array.of(0, 1.5, 2, 3) };
    await refused(
      () => model.fit(rows(x, 4), fractional, { verbose: 0 }),
      /integer class indices in \[0, 10\).*Received: 1.5 at sample 1/,
    );
    const outOfRange: NdArray = { dtype: "int32", shape: [4], data: Int32Array.of(0, 1, 10, 3) };
    await refused(() => model.fit(rows(x, 4), outOfRange, { verbose: 0 }), /Received: 10 at sample 2/);
  });

  it("a loss that does not fit the output's shape", async () => {
    model.compile({ optimizer: "adam", loss: "categorical_crossentropy" });
    await refused(
      () => model.fit(rows(x, 8), rows(y, 8), { verbose: 0 }),
      /loss 'categorical_crossentropy' does not fit output 'dense_2', whose predictions have shape \(None, 10\). Received: targets of shape \(None,\)/,
    );
    model.compile({
      optimizer: "adam",
      loss: { class_name: "SparseCategoricalCrossentropy", config: { from_logits: true } },
    });
  });
});

describe("the progress line", () => {
  it("is Keras's bar on a TTY, redrawn in place, and ends with the epoch's logs", async () => {
    const model = await TfjsModel.load(join(KERAS3, "train/mlp_sgd_momentum/initial.keras"));
    const [x, y] = [
      await readNpyFile(join(KERAS3, "train/data/x.npy")),
      await readNpyFile(join(KERAS3, "train/data/y.npy")),
    ];
    let text = "";
    await model.fit(x, y, {
      batchSize: 64,
      epochs: 1,
      validationSplit: 0.2,
      shuffle: false,
      progress: { isTTY: true, write: (s: string) => (text += s) },
    });
    model.dispose();
    const last = text.split("\r").at(-1)!.replaceAll("\u001b", "ESC");
    // One epoch: no "Epoch 1/1" header, as Keras; bold count, a green bar, bold time, then the logs.
    expect(last).toMatch(
      /^ESC\[1m16\/16ESC\[0m ESC\[32m━{20}ESC\[0mESC\[37mESC\[0m ESC\[1m\d+sESC\[0m \d+m?s\/step - accuracy: 0\.1104 - loss: 2\.3463 - val_accuracy: 0\.0977 - val_loss: 2\.3086 *\n$/,
    );
    expect(text.startsWith("Epoch")).toBe(false);
  });
});

describe("memory", () => {
  it("fit, evaluate and predict leave no tensors behind", async () => {
    const { tf } = await import("../../src/exec/tfjs/runtime.js");
    const model = await TfjsModel.load(join(KERAS3, "train/mlp_adam/initial.keras"));
    const [x, y] = [
      await readNpyFile(join(KERAS3, "train/data/x.npy")),
      await readNpyFile(join(KERAS3, "train/data/y.npy")),
    ];
    await model.fit(x, y, { batchSize: 64, epochs: 1, validationSplit: 0.2, verbose: 0 });
    const before = tf.memory().numTensors;
    await model.fit(x, y, { batchSize: 100, epochs: 2, validationSplit: 0.2, verbose: 0 });
    await model.evaluate(x, y, { batchSize: 100 });
    await model.predict(x, { batchSize: 100 });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe("layers kerasgraph adds to tfjs-layers", () => {
  it("train: Subtract in zoo/nested_shared passes gradients", async () => {
    const model = await TfjsModel.load(join(KERAS3, "zoo/nested_shared/model.keras"));
    const r = random(11);
    const x = model.graph.inputs.map((t) => array([16, ...(t.shape.slice(1) as number[])], () => r()));
    const y = model.graph.outputs.map((t) => array([16, ...(t.shape.slice(1) as number[])], () => r()));
    model.compile({ optimizer: { class_name: "SGD", config: { learning_rate: 0.1 } }, loss: "mse" });
    const before = model.model.getWeights().map((w) => w.dataSync().slice());
    const history = await model.fit(x, y, { batchSize: 8, epochs: 2, verbose: 0 });
    expect(history.history.loss!.every(Number.isFinite)).toBe(true);
    expect(model.model.getWeights().some((w, i) => w.dataSync().some((v, j) => v !== before[i]![j]))).toBe(true);
    model.dispose();
  });
});
