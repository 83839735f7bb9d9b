/**
 * Real-world Keras files (fixtures/real): every file Keras 3.16 could open has its reference batch
 * (`F.ref/in`, `F.ref/out`); kerasgraph exports each to ONNX and must reproduce Keras's outputs.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type OrtModel, loadModel } from "../../src/exec/ort/model.js";
import type { NdArray } from "../../src/formats/npy/array.js";
import { OrtSession } from "../../src/exec/ort/session.js";
import { readNpyFile } from "../../src/formats/npy/index.js";
import { checkOnnxModel } from "../../src/formats/onnx/check/check.js";
import { mismatch } from "../support/allclose.js";
import { FIXTURES, readJson } from "../support/fixtures.js";

interface RefCase {
  ok: boolean;
  inputs?: { file: string }[];
  outputs?: { file: string }[];
}

const REAL = join(FIXTURES, "real");
function refDirs(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      if (!statSync(p).isDirectory()) return [];
      return name.endsWith(".ref") ? [p] : refDirs(p);
    });
}
const refs = refDirs(REAL).filter((r) => readJson<RefCase>(join(r, "case.json")).ok);

/**
 * Keras 3.16 read this legacy Sequential (batch_input_shape [None, 2]) as taking (None, None, 2) and
 * made its reference batch (2, 8, 2); kerasgraph keeps the declared (None, 2). Dense acts on the last
 * axis alone, so the batch is fed as 16 rows and the result folded back.
 */
const FOLD_LEADING_AXES = new Set(["NeuralNetworkVerification+Marabou/resources/keras/fc_2-2sigmoids-3.h5"]);

const models: OrtModel[] = [];
afterAll(async () => {
  for (const m of models) await m.dispose();
});

describe("ONNX export vs Keras 3 on real-world files (fixtures/real)", () => {
  it("covers the 9 files Keras could open", () => expect(refs.length).toBe(9));

  for (const ref of refs) {
    const file = ref.slice(0, -".ref".length);
    const name = relative(REAL, file);
    it(name, async () => {
      expect(existsSync(file)).toBe(true);
      const spec = readJson<RefCase>(join(ref, "case.json"));
      const m = await loadModel(file);
      models.push(m);
      const onnx = m.toOnnx();
      expect(checkOnnxModel(onnx)).toEqual([]);
      await (await OrtSession.fromModel(onnx, { graphOptimizationLevel: "disabled" })).release();
      let inputs = await Promise.all(spec.inputs!.map((i) => readNpyFile(join(ref, i.file))));
      const fold = FOLD_LEADING_AXES.has(name);
      if (fold)
        inputs = inputs.map((a): NdArray => ({
          ...a,
          shape: [-1, a.shape.at(-1)!].map((d, i) => (i === 0 ? a.data.length / a.shape.at(-1)! : d)),
        }));
      const outs = await m.predict(inputs);
      for (const [k, o] of spec.outputs!.entries()) {
        const want = await readNpyFile(join(ref, o.file));
        const got = fold ? { ...outs[k]!, shape: want.shape } : outs[k]!;
        expect(mismatch(got, want), `output ${k}`).toBeNull();
      }
    });
  }
});
