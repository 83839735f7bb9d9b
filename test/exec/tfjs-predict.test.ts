/**
 * Predictions through tfjs match Keras's: every seed, zoo and single-layer case whose layers tfjs-layers
 * can run is predicted on tfjs (wasm) from its model.keras and compared with Keras's out/ (atol 1e-4,
 * rtol 1e-3). A case tfjs cannot run must be refused up front with an error naming each blocking layer.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { KERASGRAPH_TFJS_CLASSES } from "../../src/exec/tfjs/layers/index.js";
import { TfjsModel } from "../../src/exec/tfjs/model.js";
import { readNpyFile } from "../../src/formats/npy/index.js";
import { openModel } from "../../src/formats/open.js";
import { tfjsGaps } from "../../src/formats/tfjs/tfjs-support.js";
import { UnsupportedLayerError } from "../../src/ir/errors.js";
import { KERAS_TOLERANCE, mismatch } from "../support/allclose.js";
import { KERAS3, keras3Cases, readJson } from "../support/fixtures.js";

/**
 * Cases whose references carry TF32 rounding: Keras ran them on a GPU, where cuDNN convolutions with
 * enough input channels multiply in TF32 (see test/formats/onnx-keras3.test.ts, which measured it).
 * tfjs computes in float32 (and agrees with onnxruntime to 1e-6 there), so these compare at a
 * TF32-sized tolerance.
 */
const TF32 = new Set(["seed/toy_resnet", "seed/autoencoder", "zoo/conv1d_3d"]);
const TF32_TOLERANCE = { atol: 1e-3, rtol: 1e-2 };

/** A user's custom layer: it runs on tfjs only once its author registers a kind (src/api/custom). */
const CUSTOM = new Set(["seed/custom_dense"]);

const cases = keras3Cases(["seed", "zoo", "layers"]).filter(
  (c) => existsSync(join(KERAS3, c, "out")) && existsSync(join(KERAS3, c, "model.keras")),
);
const ran: string[] = [];
const refused: string[] = [];
afterAll(() => {
  // Recorded so the report can say how many cases tfjs runs.
  console.log(
    `tfjs predict: ${ran.length} cases match Keras, ${refused.length} refused with the blocking layers named`,
  );
});

describe("tfjs predictions vs Keras 3 (fixtures/keras3)", () => {
  it("covers the cases", () => expect(cases.length).toBeGreaterThanOrEqual(70));

  it.for(cases.filter((c) => !CUSTOM.has(c)))("%s", async (c) => {
    const dir = join(KERAS3, c);
    const { graph } = await openModel(join(dir, "model.keras"));
    // What tfjs-layers lacks, less the layers kerasgraph adds to it for the executor (src/exec/tfjs/layers).
    const gaps = tfjsGaps(graph, "", KERASGRAPH_TFJS_CLASSES);
    if (gaps.length) {
      const error = await TfjsModel.fromGraph(graph).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(UnsupportedLayerError);
      for (const g of gaps) expect((error as Error).message).toContain(`${g.layer} (${g.className})`);
      refused.push(c);
      return;
    }
    const { inputs, outputs } = readJson<{ inputs: { file: string }[]; outputs: { file: string }[] }>(
      join(dir, "case.json"),
    );
    const model = await TfjsModel.fromGraph(graph);
    try {
      const got = await model.predict(await Promise.all(inputs.map((i) => readNpyFile(join(dir, i.file)))));
      const tolerance = TF32.has(c) ? TF32_TOLERANCE : KERAS_TOLERANCE;
      for (const [i, o] of outputs.entries())
        expect(mismatch(got[i]!, await readNpyFile(join(dir, o.file)), tolerance), `output ${i}`).toBeNull();
      ran.push(c);
    } finally {
      model.dispose();
    }
  });
});
