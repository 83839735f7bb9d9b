/**
 * Keras masks in the ONNX export: Embedding(mask_zero=True) feeding recurrent layers and
 * GlobalAveragePooling1D, checked against Keras's masking rules written out in TypeScript (masked steps
 * keep the state; their output repeats the previous one, or is zero under Bidirectional), with padding
 * before, after and inside the sequences and a row that is all padding.
 */
import { afterAll, describe, expect, it } from "vitest";
import { OrtSession } from "../../src/exec/ort/session.js";
import type { NdArray } from "../../src/formats/npy/array.js";
import { checkOnnxModel } from "../../src/formats/onnx/check/check.js";
import { exportOnnx } from "../../src/formats/onnx/convert.js";
import { UnsupportedLayerError } from "../../src/ir/errors.js";
import type { Graph } from "../../src/ir/graph.js";
import { mismatch } from "../support/allclose.js";
import { fillWeights, sequential } from "../support/keras-json-models.js";
import { type Masking, gruReference, lstmReference } from "../support/recurrent-reference.js";

const IDS = [
  [0, 0, 3, 4, 5, 6],
  [1, 2, 3, 0, 0, 0],
  [1, 0, 2, 0, 3, 4],
  [0, 0, 0, 0, 0, 0],
];
const ids: NdArray = { dtype: "int32", shape: [4, 6], data: Int32Array.from(IDS.flat()) };
const keep = IDS.map((row) => row.map((v) => v !== 0));
const embedding: [string, Record<string, unknown>] = ["Embedding", { input_dim: 10, output_dim: 3, mask_zero: true }];

const sessions: OrtSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.release();
});

async function predict(g: Graph): Promise<NdArray> {
  const m = exportOnnx(g).model;
  expect(checkOnnxModel(m)).toEqual([]);
  const s = await OrtSession.fromModel(m);
  sessions.push(s);
  return (await s.run([ids]))[0]!;
}

/** The embedded batch the recurrent layer sees. */
function embedded(g: Graph): Float32Array {
  const table = g.getLayer("l0")!.values.get("embeddings")!.values as Float32Array;
  return Float32Array.from(IDS.flat().flatMap((id) => Array.from(table.subarray(id * 3, id * 3 + 3))));
}
const weightsOf = (g: Graph, layer: string, prefix: string) => ({
  kernel: g.getLayer(layer)!.values.get(`${prefix}/kernel`)!.values as Float32Array,
  recurrent: g.getLayer(layer)!.values.get(`${prefix}/recurrent_kernel`)!.values as Float32Array,
  bias: g.getLayer(layer)!.values.get(`${prefix}/bias`)!.values as Float32Array,
});
const arr = (a: number[][] | number[][][], shape: number[]): NdArray => ({
  dtype: "float32",
  shape,
  data: Float32Array.from(a.flat(2) as number[]),
});
const TOL = { atol: 1e-5, rtol: 1e-4 };

describe("Keras masks in the ONNX export", () => {
  it("LSTM: the final state skips masked steps; an all-padding row stays zero", async () => {
    const g = sequential([6], [embedding, ["LSTM", { units: 4 }]], "int32");
    fillWeights(g, 21);
    const ref = lstmReference(embedded(g), [4, 6, 3], weightsOf(g, "l1", "lstm_cell"), 4, false, {
      keep,
      zeroOutput: false,
    });
    expect(mismatch(await predict(g), arr(ref.last, [4, 4]), TOL)).toBeNull();
  });

  it("LSTM(return_sequences): a masked step repeats the previous output", async () => {
    const g = sequential([6], [embedding, ["LSTM", { units: 4, return_sequences: true }]], "int32");
    fillWeights(g, 22);
    const ref = lstmReference(embedded(g), [4, 6, 3], weightsOf(g, "l1", "lstm_cell"), 4, false, {
      keep,
      zeroOutput: false,
    });
    expect(mismatch(await predict(g), arr(ref.sequence, [4, 6, 4]), TOL)).toBeNull();
  });

  it("GRU(return_sequences) passes its mask on to GlobalAveragePooling1D's masked mean", async () => {
    const g = sequential(
      [6],
      [embedding, ["GRU", { units: 4, return_sequences: true }], ["GlobalAveragePooling1D", {}]],
      "int32",
    );
    fillWeights(g, 23);
    const w = weightsOf(g, "l1", "gru_cell");
    const ref = gruReference(embedded(g), [4, 6, 3], { ...w, bias: w.bias }, 4, true, { keep, zeroOutput: false });
    const mean = ref.sequence.map((steps, n) => {
      const kept = steps.filter((_, t) => keep[n]![t]);
      return [0, 1, 2, 3].map((j) => kept.reduce((a, s) => a + s[j]!, 0) / kept.length);
    });
    expect(mismatch(await predict(g), arr(mean, [4, 4]), TOL)).toBeNull();
  });

  it("Bidirectional(LSTM, return_sequences): masked steps are zero, the backward run skips them too", async () => {
    const layer = { class_name: "LSTM", config: { name: "lstm", units: 4, return_sequences: true } };
    const g = sequential([6], [embedding, ["Bidirectional", { layer }]], "int32");
    fillWeights(g, 24);
    const mask: Masking = { keep, zeroOutput: true };
    const x = embedded(g);
    const fwd = lstmReference(x, [4, 6, 3], weightsOf(g, "l1", "forward_lstm/lstm_cell"), 4, false, mask).sequence;
    const bwd = lstmReference(x, [4, 6, 3], weightsOf(g, "l1", "backward_lstm/lstm_cell"), 4, true, mask).sequence.map(
      (s) => [...s].reverse(),
    );
    const want = fwd.map((s, n) => s.map((v, t) => [...v, ...bwd[n]![t]!]));
    expect(mismatch(await predict(g), arr(want, [4, 6, 8]), TOL)).toBeNull();
  });

  it("a layer that would apply the mask but cannot in ONNX is refused", () => {
    const g = sequential([6], [embedding, ["Softmax", {}]], "int32");
    fillWeights(g, 25);
    expect(() => exportOnnx(g)).toThrow(UnsupportedLayerError);
    expect(() => exportOnnx(g)).toThrow(/Softmax 'l1'.*carries a Keras mask/);
  });

  it("layers that do not use masks drop them (Flatten → Dense is unaffected)", async () => {
    const g = sequential([6], [embedding, ["Flatten", {}], ["Dense", { units: 2 }]], "int32");
    fillWeights(g, 26);
    const y = await predict(g);
    expect(y.shape).toEqual([4, 2]);
  });
});
