/**
 * Where a Keras model and an ONNX export of the same network sit side by side in the fixtures
 * (fastmachinelearning/example-models: `keras/*.json` + `*_weights.h5`, `keras_history/*.h5`, and their
 * OnnxMLTools exports under `onnx/`), the imported ONNX model and the Keras model give the same
 * predictions — and where real Keras recorded predictions (`.ref/`), the imported model gives those.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { OrtModel } from "../../src/exec/ort/model.js";
import type { NdArray } from "../../src/formats/npy/array.js";
import { readNpyFile } from "../../src/formats/npy/index.js";
import { importOnnxBytes } from "../../src/formats/onnx/import/import.js";
import { openModel } from "../../src/formats/open.js";
import { mismatch } from "../support/allclose.js";
import { FIXTURES } from "../support/fixtures.js";
import { seeded } from "../support/onnx-reference.js";

const REPO = join(FIXTURES, "real/fastmachinelearning+example-models");

interface Pair {
  keras: string;
  weights?: string;
  onnx: string;
  /** Layer classes the import must come out with (the Keras model's, activations fused). */
  classes: string[];
}

const PAIRS: Pair[] = [
  {
    keras: "keras/KERAS_3layer.json",
    weights: "keras/KERAS_3layer_weights.h5",
    onnx: "onnx/three_layer_keras.onnx",
    classes: ["InputLayer", "Dense", "Dense", "Dense", "Dense"],
  },
  {
    keras: "keras_history/keras_3layer.h5",
    onnx: "onnx/three_layer_keras.onnx",
    classes: ["InputLayer", "Dense", "Dense", "Dense", "Dense"],
  },
  {
    keras: "keras/KERAS_3layer_batch_norm.json",
    weights: "keras/KERAS_3layer_batch_norm_weights.h5",
    onnx: "onnx/three_layer_bn_keras.onnx",
    classes: [
      "InputLayer",
      ...["Dense", "BatchNormalization", "Activation"],
      ...["Dense", "BatchNormalization", "Activation"],
      ...["Dense", "BatchNormalization", "Activation"],
      ...["Dense", "BatchNormalization", "Activation"],
    ],
  },
  {
    keras: "keras/KERAS_conv2d_model.json",
    weights: "keras/KERAS_conv2d_model_weights.h5",
    onnx: "onnx/conv2d_small_keras.onnx",
    classes: ["InputLayer", "Conv2D", "Flatten", "Dense"],
  },
];

function randomBatch(shape: (number | null)[], seed: number): NdArray {
  const rand = seeded(seed);
  const dims = shape.map((d, i) => (i === 0 ? 4 : d!));
  const n = dims.reduce((a, b) => a * b, 1);
  return { dtype: "float32", shape: dims, data: Float32Array.from({ length: n }, () => rand() * 4 - 2) };
}

const models: OrtModel[] = [];
afterAll(async () => {
  for (const m of models) await m.dispose();
});

describe("ONNX import: the Keras model and its ONNX export side by side agree", () => {
  for (const pair of PAIRS) {
    it(`${pair.onnx} ≡ ${pair.keras}`, async () => {
      const { graph: keras } = await openModel(
        join(REPO, pair.keras),
        pair.weights ? { weightsFile: join(REPO, pair.weights) } : {},
      );
      const file = join(REPO, pair.onnx);
      const { graph: imported } = importOnnxBytes(new Uint8Array(readFileSync(file)), { file });
      expect(imported.layers.map((l) => l.className)).toEqual(pair.classes);
      expect(imported.paramCounts().total).toBe(keras.paramCounts().total);
      const x = randomBatch(keras.inputs[0]!.shape, 11);
      const a = new OrtModel(keras);
      const b = new OrtModel(imported);
      models.push(a, b);
      const [want] = await a.predict([x]);
      const [got] = await b.predict([x]);
      expect(mismatch(got!, want!)).toBeNull();
    });
  }

  it("the imported three_layer_keras.onnx gives what real Keras predicted for keras_3layer.h5 (.ref)", async () => {
    const ref = join(REPO, "keras_history/keras_3layer.h5.ref");
    const x = await readNpyFile(join(ref, "in/0.npy"));
    const want = await readNpyFile(join(ref, "out/0.npy"));
    const file = join(REPO, "onnx/three_layer_keras.onnx");
    const m = new OrtModel(importOnnxBytes(new Uint8Array(readFileSync(file)), { file }).graph);
    models.push(m);
    const [got] = await m.predict([x]);
    expect(mismatch(got!, want)).toBeNull();
  });
});
