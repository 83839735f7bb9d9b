/**
 * Every ONNX file of the fixtures (fixtures/real: keras2onnx, tf2onnx, OnnxMLTools, PyTorch and the
 * ONNX backend tests' models; fixtures/keras3/seed/*: Keras's own exports) imported as Keras layers,
 * saved as .keras and read back, then run on onnxruntime (our ONNX executor) and on TF.js: the outputs
 * must match onnxruntime's on the original file (or, where onnxruntime cannot run the original, the
 * reference outputs stored beside it) within the fixtures' tolerance.
 */
import { mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { OrtModel } from "../../src/exec/ort/model.js";
import { TfjsModel } from "../../src/exec/tfjs/model.js";
import { writeKerasJson } from "../../src/formats/keras-json/write.js";
import type { NdArray } from "../../src/formats/npy/array.js";
import { type ImportOptions, importOnnxBytes } from "../../src/formats/onnx/import/import.js";
import { readTensorProto } from "../../src/formats/onnx/import/read-model.js";
import { openModel } from "../../src/formats/open.js";
import { saveModel } from "../../src/formats/save.js";
import type { Graph } from "../../src/ir/graph.js";
import { summaryText } from "../../src/tools/summary/index.js";
import { mismatch } from "../support/allclose.js";
import { FIXTURES } from "../support/fixtures.js";
import { backendTestData, declaredInputs, freeBatch, makeInputs, ortOutputs } from "../support/onnx-reference.js";

function onnxFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return onnxFiles(p);
    return f.endsWith(".onnx") ? [p] : [];
  });
}

const FILES = [
  ...onnxFiles(join(FIXTURES, "real")),
  ...onnxFiles(join(FIXTURES, "keras3/seed")).filter((f) => f.endsWith("keras_export.onnx")),
].sort();

/**
 * Files onnxruntime cannot run, with what the test compares against instead. Opset 6 files: onnxruntime
 * 1.x dropped opset < 7 kernels ("Could not find an implementation for Add(6)"); the ONNX backend
 * tests store the outputs PyTorch computed. OnnxMLTools 1.3's batch-norm export is invalid ONNX (see
 * passes/repairs.ts); the Keras model it was exported from sits beside it and is compared in
 * onnx-import-pairs.test.ts.
 */
const NOT_RUNNABLE: Record<string, string> = {
  "real/onnx+onnx/onnx/backend/test/data/pytorch-operator/test_operator_basic/model.onnx": "backend-pb",
  "real/onnx+onnx/onnx/backend/test/data/pytorch-converted/test_BatchNorm2d_eval/model.onnx": "backend-pb",
  "real/onnx+onnx/onnx/backend/test/data/pytorch-converted/test_Linear/model.onnx": "backend-pb",
  "real/fastmachinelearning+example-models/onnx/three_layer_bn_keras.onnx": "keras-pair",
};

/**
 * TF.js runs these imported channels_last (layout: "channels_last") rather than as imported by
 * default: tfjs-layers 4.22's BatchNormalization with axis=1 on 4-D inputs broadcasts its parameters
 * along the last axis at inference (gamma [1, 2, 3] on ones(1, 3, 2, 2) gives 1 2 3 1 / 2 3 1 2 / ...),
 * so a channels-first batch norm is wrong there while Keras's own is right.
 */
const TFJS_CHANNELS_LAST: Record<string, string> = {
  "real/onnx+onnx/onnx/backend/test/data/pytorch-converted/test_BatchNorm2d_eval/model.onnx":
    "tfjs BatchNormalization(axis=1) bug",
  "real/onnx+onnx/onnx/backend/test/data/light/light_resnet50.onnx": "tfjs BatchNormalization(axis=1) bug",
};

interface Reference {
  inputs: NdArray[];
  outputs: NdArray[];
}

/** The ONNX backend tests' light models take arange(n) / n (onnx/backend/test/runner, random=False). */
function lightInput(shape: number[]): NdArray {
  const n = shape.reduce((a, b) => a * b, 1);
  return { dtype: "float32", shape, data: Float32Array.from({ length: n }, (_, i) => i / n) };
}

async function reference(file: string, key: string, bytes: Uint8Array): Promise<Reference | null> {
  if (NOT_RUNNABLE[key] === "keras-pair") return null;
  const stored = backendTestData(dirname(file));
  if (NOT_RUNNABLE[key] === "backend-pb") return stored;
  const decls = declaredInputs(bytes);
  if (file.includes("/light/")) {
    const inputs = [lightInput(decls[0]!.shape as number[])];
    const expected = readTensorProto(new Uint8Array(readFileSync(file.replace(/\.onnx$/, "_output_0.pb"))));
    const ort = await ortOutputs(bytes, decls, inputs);
    // onnxruntime agrees with the ONNX reference evaluator's stored output for this input.
    expect(mismatch(ort[0]!, { dtype: "float32", shape: expected.dims, data: expected.data })).toBeNull();
    return { inputs, outputs: ort };
  }
  if (stored && stored.inputs.length)
    return { inputs: stored.inputs, outputs: await ortOutputs(bytes, decls, stored.inputs) };
  const declared = decls[0]!.shape[0];
  const free = declared !== null && declared !== undefined && declared > 8;
  const batch = free || !declared ? 2 : declared;
  const inputs = makeInputs(decls, { batch, maxIndex: 3 });
  return { inputs, outputs: await ortOutputs(free ? freeBatch(bytes) : bytes, decls, inputs) };
}

function expectClose(got: NdArray[], want: NdArray[], what: string): void {
  expect(got.length, what).toBe(want.length);
  got.forEach((g, i) => expect(mismatch(g, want[i]!), `${what}, output ${i}`).toBeNull());
}

const dir = mkdtempSync(join(tmpdir(), "kerasgraph-onnx-import-"));
const models: OrtModel[] = [];
afterAll(async () => {
  for (const m of models) await m.dispose();
});

async function ortPredict(graph: Graph, inputs: NdArray[]): Promise<NdArray[]> {
  const m = new OrtModel(graph);
  models.push(m);
  return m.predict(inputs);
}

describe("ONNX import: every ONNX fixture as Keras layers (fixtures/real, keras3/seed/*/keras_export.onnx)", () => {
  it("finds every ONNX fixture", () => {
    expect(FILES.length).toBe(18);
  });

  for (const file of FILES) {
    const key = relative(FIXTURES, file);
    it(key, { timeout: 120_000 }, async () => {
      const bytes = new Uint8Array(readFileSync(file));
      const imported = importOnnxBytes(bytes, { file });
      expect(imported.restored).toBe(false);

      // Converts to .keras, which reads back as the same model.
      const kerasPath = join(dir, `${key.replace(/[/+]/g, "_")}.keras`);
      await saveModel(imported.graph, kerasPath);
      const { graph } = await openModel(kerasPath);
      expect(writeKerasJson(graph)).toEqual(writeKerasJson(imported.graph));

      const ref = await reference(file, key, bytes);
      if (!ref) return;
      expectClose(await ortPredict(graph, ref.inputs), ref.outputs, "our ONNX executor");

      const options: ImportOptions = TFJS_CHANNELS_LAST[key] ? { file, layout: "channels_last" } : { file };
      const tfjsGraph = TFJS_CHANNELS_LAST[key] ? importOnnxBytes(bytes, options).graph : graph;
      const tfjs = await TfjsModel.fromGraph(tfjsGraph, { backend: "wasm" });
      expectClose(await tfjs.predict(ref.inputs), ref.outputs, "TF.js");
    });
  }
});

describe("ONNX import: Keras's own exports come back as the Keras model Keras printed", () => {
  /** Keras's summary.txt was drawn at line_length=110 and cropped to 80 columns (fixtures/keras3/README.md). */
  const asRecorded = (text: string) =>
    text
      .split("\n")
      .map((line) => [...line].slice(0, 80).join(""))
      .join("\n") + "\n";
  for (const c of ["mnist_mlp", "autoencoder"]) {
    it(`seed/${c}: same layers, names, shapes and parameter counts as Keras's summary (the model name aside)`, () => {
      const file = join(FIXTURES, "keras3/seed", c, "keras_export.onnx");
      const { graph } = importOnnxBytes(new Uint8Array(readFileSync(file)), { file });
      const body = (t: string) => t.split("\n").slice(1).join("\n");
      const want = readFileSync(join(FIXTURES, "keras3/seed", c, "summary.txt"), "utf8");
      expect(body(asRecorded(summaryText(graph, { lineLength: 110 })))).toBe(body(want));
    });
  }
});
