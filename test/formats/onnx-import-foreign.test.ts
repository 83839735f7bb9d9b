/**
 * Our own exporter as a source of foreign ONNX files: every Keras 3 reference model (seed, zoo,
 * single layers) exported at opset 17 and imported with its metadata ignored (kerasMetadata: false),
 * as any other ONNX file. The import computes what onnxruntime computes on the exported file; where the
 * ONNX graph holds an op no Keras layer expresses, the import raises UnsupportedLayerError — never a
 * wrong model.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { OrtModel } from "../../src/exec/ort/model.js";
import { exportOnnx } from "../../src/formats/onnx/convert.js";
import { importOnnxBytes } from "../../src/formats/onnx/import/import.js";
import { encodeOnnxModel } from "../../src/formats/onnx/proto.js";
import { openModel } from "../../src/formats/open.js";
import { UnsupportedLayerError } from "../../src/ir/errors.js";
import { mismatch } from "../support/allclose.js";
import { registryWithCustoms } from "../support/custom-layers.js";
import { KERAS3, keras3Cases } from "../support/fixtures.js";
import { emittersWithCustoms } from "../support/onnx-customs.js";
import { declaredInputs, makeInputs, ortOutputs } from "../support/onnx-reference.js";

/** Exports whose ONNX graph has ops without a Keras layer, with the op the import names. */
const NOT_IMPORTED: Record<string, RegExp> = {
  "zoo/attention_family": /'Sqrt'/, // UnitNormalization's x · 1/sqrt(max(Σx², ε))
  "zoo/merge_family": /'Einsum'/, // Dot
  "zoo/recurrent_family": /moves the batch axis/, // TimeDistributed folds time into the batch
  "layers/AutoContrast": /reduces over the batch axis/, // a rank-3 input is one image: its rows are the batch
  "layers/CategoryEncoding": /'OneHot'/,
  "layers/CenterCrop": /computed at run time/, // crop offsets from the input's shape
  "layers/ConvLSTM1D": /moves the batch axis/, // convolutions over batch × time
  "layers/ConvLSTM2D": /moves the batch axis/,
  "layers/ConvLSTM3D": /moves the batch axis/,
  "layers/Dot": /'Einsum'/,
  "layers/EinsumDense": /'Einsum'/,
  "layers/MelSpectrogram": /mode 'reflect'/, // the STFT's reflect padding (then framing Gather, DFT MatMuls)
  "layers/Resizing": /moves the batch axis/, // a rank-3 input is one image: its batch axis is the height
};

/** Models our exporter does not write (so there is no ONNX file to import). */
const NOT_EXPORTED: Record<string, string> = {
  "layers/ContrastLimitedAdaptiveHistogramEqualization": "no ONNX emitter for CLAHE",
  "layers/RandomCrop": "Keras's inference output (uncropped) contradicts its declared shape; the emitter refuses it",
};

const registry = registryWithCustoms();
const emitters = emittersWithCustoms();
const cases = keras3Cases(["seed", "zoo", "layers"]).filter((c) => existsSync(join(KERAS3, c, "model.keras")));
const models: OrtModel[] = [];
afterAll(async () => {
  for (const m of models) await m.dispose();
});

describe("ONNX import of our exports as foreign files (metadata ignored)", () => {
  it("covers the Keras 3 reference models", () => {
    expect(cases.length).toBe(122);
  });

  for (const c of cases) {
    const skip = NOT_EXPORTED[c];
    it.skipIf(!!skip)(`${c}${skip ? ` — skipped: ${skip}` : ""}`, { timeout: 60_000 }, async () => {
      const { graph } = await openModel(join(KERAS3, c, "model.keras"), { registry });
      const bytes = encodeOnnxModel(exportOnnx(graph, { registry, emitters }).model);
      const expected = NOT_IMPORTED[c];
      if (expected) {
        let error: unknown;
        try {
          importOnnxBytes(bytes, { kerasMetadata: false });
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(UnsupportedLayerError);
        expect((error as Error).message).toMatch(expected);
        return;
      }
      const imported = importOnnxBytes(bytes, { kerasMetadata: false });
      expect(imported.restored).toBe(false);
      const decls = declaredInputs(bytes);
      const inputs = makeInputs(decls, { batch: 2, maxIndex: 3 });
      const want = await ortOutputs(bytes, decls, inputs);
      const ort = new OrtModel(imported.graph);
      models.push(ort);
      const got = await ort.predict(inputs);
      got.forEach((g, i) => expect(mismatch(g, want[i]!), `output ${i}`).toBeNull());
    });
  }
});
