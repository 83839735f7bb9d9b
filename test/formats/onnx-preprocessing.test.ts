/**
 * Emitters of the newer single-layer fixtures with hyperparameters the fixtures do not use, against
 * references computed here: MelSpectrogram (other windows, frame sizes, magnitude exponents, decibel
 * settings, a signal length known only at run time), ReversibleEmbedding's reverse call (tied, untied,
 * soft-capped), MaxNumBoundingBoxes on a dict of images and boxes, and Solarization's cast at inference.
 */
import { afterAll, describe, expect, it } from "vitest";
import { OrtSession } from "../../src/exec/ort/session.js";
import type { NdArray } from "../../src/formats/npy/array.js";
import { checkOnnxModel } from "../../src/formats/onnx/check/check.js";
import { exportOnnx } from "../../src/formats/onnx/convert.js";
import { readKerasJson } from "../../src/formats/keras-json/read.js";
import type { Graph } from "../../src/ir/graph.js";
import { UnsupportedLayerError } from "../../src/ir/errors.js";
import { KERAS_TOLERANCE, mismatch } from "../support/allclose.js";
import { type MelConfig, melSpectrogramReference } from "../support/audio-reference.js";
import { fillWeights, random, sequential } from "../support/keras-json-models.js";

const sessions: OrtSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.release();
});

async function run(graph: Graph, inputs: NdArray[]): Promise<NdArray[]> {
  const { model } = exportOnnx(graph);
  expect(checkOnnxModel(model)).toEqual([]);
  const s = await OrtSession.fromModel(model);
  sessions.push(s);
  return s.run(inputs);
}

const values = (n: number, seed: number, scale = 2) => {
  const rnd = random(seed);
  return Array.from({ length: n }, () => scale * rnd());
};
const f32 = (shape: number[], data: number[]): NdArray => ({ dtype: "float32", shape, data: Float32Array.from(data) });

/** A Keras 3 functional model: `layers` are [class_name, config, inbound args, inbound kwargs]. */
function functional(
  inputs: [string, (number | null)[], string][],
  layers: [string, Record<string, unknown>, unknown[], Record<string, unknown>][],
  outputs: [string, number][],
): Graph {
  return readKerasJson({
    module: "keras",
    class_name: "Functional",
    config: {
      name: "model",
      layers: [
        ...inputs.map(([name, shape, dtype]) => ({
          module: "keras.layers",
          class_name: "InputLayer",
          config: { name, batch_shape: [null, ...shape], dtype },
          name,
          inbound_nodes: [],
        })),
        ...layers.map(([cls, config, args, kwargs]) => ({
          module: "keras.layers",
          class_name: cls,
          config,
          name: config.name,
          inbound_nodes: [{ args, kwargs }],
        })),
      ],
      input_layers: inputs.map(([name]) => [name, 0, 0]),
      output_layers: outputs.map(([name, i]) => [name, 0, i]),
    },
  });
}
const tensor = (layer: string, shape: (number | null)[], dtype = "float32", index = 0) => ({
  class_name: "__keras_tensor__",
  config: { shape, dtype, keras_history: [layer, 0, index] },
});

describe("MelSpectrogram against a float64 STFT and filterbank", () => {
  const base: MelConfig = {
    fft_length: 16,
    sequence_stride: 5,
    sequence_length: 12,
    window: "hamming",
    sampling_rate: 8000,
    num_mel_bins: 6,
    min_freq: 100,
    max_freq: 3000,
    power_to_db: false,
    top_db: 80,
    mag_exp: 1,
    min_power: 1e-10,
    ref_power: 1,
  };
  const cases: [string, Partial<MelConfig>, number | null][] = [
    ["hamming window shorter than the frame, magnitudes", {}, 40],
    ["no window, |X|^1.5", { window: null, mag_exp: 1.5 }, 33],
    ["hann, power in dB with ref_power and top_db", { window: "hann", power_to_db: true, top_db: 30, ref_power: 2, mag_exp: 2 }, 40],
    ["a length known only at run time", { fft_length: 32, sequence_length: 32, sequence_stride: 8, num_mel_bins: 10, power_to_db: true, mag_exp: 2 }, null],
  ]; // prettier-ignore
  it.for(cases)("%s", async ([, overrides, length]) => {
    const c = { ...base, ...overrides };
    const g = sequential([length], [["MelSpectrogram", { ...c }]]);
    const samples = length ?? 50;
    const x = values(2 * samples, samples);
    const [got] = await run(g, [f32([2, samples], x)]);
    const want = melSpectrogramReference([x.slice(0, samples), x.slice(samples)], c);
    const shape = [2, c.num_mel_bins, want[0]![0]!.length];
    expect(mismatch(got!, f32(shape, want.flat(2)), KERAS_TOLERANCE)).toBeNull();
  });

  it("refuses an unknown window by name", () => {
    const g = sequential([40], [["MelSpectrogram", { ...base, window: "blackman" }]]);
    expect(() => exportOnnx(g)).toThrow(UnsupportedLayerError);
    expect(() => exportOnnx(g)).toThrow(/MelSpectrogram 'l0'.*window='blackman'/);
  });
});

describe("ReversibleEmbedding", () => {
  const layer = (config: Record<string, unknown>) => ({
    name: "emb",
    input_dim: 7,
    output_dim: 3,
    ...config,
  });
  const reverse = (g: Graph, x: number[], rows: number, cap: number | null, untied: boolean) => {
    const emb = g.getLayer("emb")!;
    const table = emb.values.get(untied ? "reverse_embeddings" : "embeddings")!.values as Float32Array;
    const out: number[] = [];
    for (let r = 0; r < rows; r++)
      for (let j = 0; j < 7; j++) {
        let s = 0;
        for (let k = 0; k < 3; k++) s += x[r * 3 + k]! * (untied ? table[k * 7 + j]! : table[j * 3 + k]!);
        out.push(cap === null ? s : Math.tanh(s / cap) * cap);
      }
    return out;
  };

  it.for([
    ["tied", { tie_weights: true }, null, false],
    ["untied", { tie_weights: false }, null, true],
    ["soft-capped", { tie_weights: true, logit_soft_cap: 0.3 }, 0.3, false],
  ] as [string, Record<string, unknown>, number | null, boolean][])(
    "reverse=True, %s: x · table",
    async ([, config, cap, untied]) => {
      const g = functional(
        [["x", [5, 3], "float32"]],
        [["ReversibleEmbedding", layer(config), [tensor("x", [null, 5, 3])], { reverse: true }]],
        [["emb", 0]],
      );
      fillWeights(g, 3);
      const x = values(2 * 5 * 3, 4);
      const [got] = await run(g, [f32([2, 5, 3], x)]);
      expect(mismatch(got!, f32([2, 5, 7], reverse(g, x, 10, cap, untied)), { atol: 1e-6, rtol: 1e-5 })).toBeNull();
    },
  );

  it("a layer called forward, then reverse on its own output, shares its table", async () => {
    const g = readKerasJson({
      module: "keras",
      class_name: "Functional",
      config: {
        name: "model",
        layers: [
          { module: "keras.layers", class_name: "InputLayer", config: { name: "ids", batch_shape: [null, 4], dtype: "int32" }, name: "ids", inbound_nodes: [] },
          {
            module: "keras.layers",
            class_name: "ReversibleEmbedding",
            config: layer({}),
            name: "emb",
            inbound_nodes: [
              { args: [tensor("ids", [null, 4], "int32")], kwargs: {} },
              { args: [tensor("emb", [null, 4, 3])], kwargs: { reverse: true } },
            ],
          },
        ],
        input_layers: [["ids", 0, 0]],
        output_layers: [["emb", 1, 0]],
      },
    }); // prettier-ignore
    fillWeights(g, 5);
    const ids = [0, 3, 6, 2, 1, 1, 5, 4];
    const [got] = await run(g, [{ dtype: "int32", shape: [2, 4], data: Int32Array.from(ids) }]);
    const table = g.getLayer("emb")!.values.get("embeddings")!.values as Float32Array;
    const embedded = ids.flatMap((i) => [0, 1, 2].map((k) => table[i * 3 + k]!));
    expect(mismatch(got!, f32([2, 4, 7], reverse(g, embedded, 8, null, false)), { atol: 1e-6, rtol: 1e-5 })).toBeNull();
  });

  it("refuses a reverse_dtype the float32 graph cannot honour", () => {
    const g = functional(
      [["x", [5, 3], "float32"]],
      [["ReversibleEmbedding", layer({ reverse_dtype: "bfloat16" }), [tensor("x", [null, 5, 3])], { reverse: true }]],
      [["emb", 0]],
    );
    fillWeights(g, 3);
    expect(() => exportOnnx(g)).toThrow(/ReversibleEmbedding 'emb'.*reverse_dtype='bfloat16'/);
  });
});

describe("MaxNumBoundingBoxes on {images, bounding_boxes: {boxes, labels}}", () => {
  it.for([5, 2])("max_number=%i pads with fill_value or truncates; images pass", async (maxNumber) => {
    const boxes = tensor("boxes", [null, 3, 4]);
    const labels = tensor("labels", [null, 3], "int32");
    const g = functional(
      [
        ["images", [4, 4, 3], "float32"],
        ["boxes", [3, 4], "float32"],
        ["labels", [3], "int32"],
      ],
      [
        [
          "MaxNumBoundingBoxes",
          { name: "mnbb", max_number: maxNumber, fill_value: -2, bounding_box_format: "xyxy" },
          [{ images: tensor("images", [null, 4, 4, 3]), bounding_boxes: { boxes, labels } }],
          {},
        ],
      ],
      [
        ["mnbb", 0],
        ["mnbb", 1],
        ["mnbb", 2],
      ],
    );
    const images = values(2 * 48, 6);
    const b = values(2 * 12, 7);
    const l = [1, 2, 3, 4, 5, 6];
    const [gotBoxes, gotLabels, gotImages] = await run(g, [
      f32([2, 4, 4, 3], images),
      f32([2, 3, 4], b),
      { dtype: "int32", shape: [2, 3], data: Int32Array.from(l) },
    ]);
    const keep = Math.min(3, maxNumber);
    const fit = (v: number[], per: number) =>
      [0, 1].flatMap((n) => [
        ...v.slice(n * 3 * per, n * 3 * per + keep * per),
        ...new Array<number>((maxNumber - keep) * per).fill(-2),
      ]);
    const exact = { atol: 0, rtol: 0 };
    expect(mismatch(gotBoxes!, f32([2, maxNumber, 4], fit(b, 4)), exact)).toBeNull();
    expect(mismatch(gotLabels!, f32([2, maxNumber], fit(l, 1)), exact)).toBeNull();
    expect(mismatch(gotImages!, f32([2, 4, 4, 3], images), exact)).toBeNull();
  });
});

describe("Solarization", () => {
  it("at inference only casts integer images to its compute dtype", async () => {
    const g = sequential([2, 3, 1], [["Solarization", { threshold_factor: [0.5, 0.5] }]], "int32");
    const x = [0, 7, 255, 128, 3, 9, 1, 2, 3, 4, 5, 6];
    const [got] = await run(g, [{ dtype: "int32", shape: [2, 2, 3, 1], data: Int32Array.from(x) }]);
    expect(got!.dtype).toBe("float32");
    expect(mismatch(got!, f32([2, 2, 3, 1], x), { atol: 0, rtol: 0 })).toBeNull();
  });
});
