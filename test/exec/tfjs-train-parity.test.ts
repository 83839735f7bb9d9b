/**
 * Training parity with Keras 3.16 (torch backend): from each `train/mlp_*` case's initial.keras and the
 * shared data, `fit` with the recorded arguments (trace.json: batch 64, 3 epochs, validation_split 0.2,
 * no shuffling) on tfjs must report Keras's per-epoch loss, accuracy, val_loss and val_accuracy within
 * 1e-3 relative, end with Keras's trained weights, and evaluate the first 256 samples as Keras did.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { TfjsModel } from "../../src/exec/tfjs/model.js";
import { readNpyFile } from "../../src/formats/npy/index.js";
import { openModel } from "../../src/formats/open.js";
import { mismatch } from "../support/allclose.js";
import { KERAS3, readJson } from "../support/fixtures.js";

interface Trace {
  history: Record<string, number[]>;
  evaluate_first_256: Record<string, number>;
  fit: { batch_size: number; epochs: number; validation_split: number; shuffle: boolean };
  optimizer: { class_name: string };
}

const TRAIN = join(KERAS3, "train");
const CASES = ["mlp_rmsprop", "mlp_adam", "mlp_sgd_momentum"];
const REL = 1e-3;

const relErr = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

describe.each(["wasm", "cpu"] as const)("on the %s backend", (backend) => {
  it.for(CASES)("%s reproduces Keras's history, trained weights and evaluation", async (name) => {
    const dir = join(TRAIN, name);
    const trace = readJson<Trace>(join(dir, "trace.json"));
    const [x, y] = [await readNpyFile(join(TRAIN, "data/x.npy")), await readNpyFile(join(TRAIN, "data/y.npy"))];
    const model = await TfjsModel.load(join(dir, "initial.keras"), { backend });
    try {
      expect(model.compiledArgs?.optimizer).toMatchObject({ class_name: trace.optimizer.class_name });
      const { batch_size, epochs, validation_split, shuffle } = trace.fit;
      const history = await model.fit(x, y, {
        batchSize: batch_size,
        epochs,
        validationSplit: validation_split,
        shuffle,
        verbose: 0,
      });

      expect(Object.keys(history.history)).toEqual(Object.keys(trace.history).sort());
      for (const [key, want] of Object.entries(trace.history)) {
        const got = history.history[key]!;
        expect(got).toHaveLength(want.length);
        want.forEach((w, epoch) =>
          expect(relErr(got[epoch]!, w), `${key}[${epoch}]: ${got[epoch]} vs ${w}`).toBeLessThanOrEqual(REL),
        );
      }

      const graph = model.syncWeights();
      const variables = graph.layers.flatMap((l) => (l.weights ?? []).map((w) => l.values.get(w.name)!));
      for (const [i, data] of variables.entries()) {
        const want = await readNpyFile(join(dir, `trained_weights/${i}.npy`));
        const got = { dtype: data.dtype, shape: data.shape, data: data.values };
        expect(mismatch(got, want, { atol: 1e-6, rtol: REL }), `trained weight ${i}`).toBeNull();
      }

      // Keras saved its optimizer's variables too (mlp_adam/trained.keras): iteration, learning rate, slots.
      if (existsSync(join(dir, "trained.keras"))) {
        const keras = (await openModel(join(dir, "trained.keras"))).graph.optimizer!;
        const ours = graph.optimizer!;
        expect(ours.variables.map((v) => v.data.shape)).toEqual(keras.variables.map((v) => v.data.shape));
        expect(Number(ours.variables[0]!.data.values[0])).toBe(Number(keras.variables[0]!.data.values[0]));
        for (const [i, v] of keras.variables.entries()) {
          const got = {
            dtype: "float32",
            shape: v.data.shape,
            data: Float32Array.from(ours.variables[i]!.data.values as ArrayLike<number>),
          };
          const want = {
            dtype: "float32",
            shape: v.data.shape,
            data: Float32Array.from(v.data.values as ArrayLike<number>),
          };
          expect(mismatch(got, want, { atol: 1e-9, rtol: 1e-3 }), `optimizer variable ${i}`).toBeNull();
        }
      }

      const first = (a: typeof x) => ({
        ...a,
        shape: [256, ...a.shape.slice(1)],
        data: a.data.subarray(0, 256 * (a.data.length / a.shape[0]!)),
      });
      const evaluated = await model.evaluate(first(x), first(y), { batchSize: batch_size });
      for (const [key, want] of Object.entries(trace.evaluate_first_256)) {
        expect(relErr(evaluated[key]!, want), `evaluate ${key}: ${evaluated[key]} vs ${want}`).toBeLessThanOrEqual(REL);
      }
    } finally {
      model.dispose();
    }
  });
});
