/**
 * Preprocessing layers beyond the recorded fixture calls: every image augmentation, Keras 2 configs,
 * channels_first, dtype rules, lookups and their vocabulary sizes, spectrograms, Pipeline, and the
 * errors Keras raises. Expected shapes come from each class's `compute_output_shape` /
 * `compute_output_spec` in keras/src/layers/preprocessing/ (the formula is named on each row).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { evaluateLayer } from "../../src/ir/build.js";
import { ShapeError } from "../../src/ir/errors.js";
import type { ArgTree, TensorSpec } from "../../src/ir/graph.js";
import { Layer } from "../../src/ir/graph.js";
import { formatShape } from "../../src/ir/shape.js";
import "../../src/layers/index.js";
import { defaultRegistry } from "../../src/layers/registry.js";
import { evaluateRecorded, FIXTURES, recordedCalls } from "./harness.js";

type Dims = (number | null)[];
const f32 = (shape: Dims): TensorSpec => ({ shape, dtype: "float32" });
const spec = (shape: Dims, dtype: string): TensorSpec => ({ shape, dtype });

function run(className: string, config: Record<string, unknown>, arg: ArgTree<TensorSpec>) {
  const layer = new Layer(className, "l", { name: "l", ...config }, { registeredName: null });
  return evaluateLayer(layer, [arg], {}, defaultRegistry.resolver());
}

interface Row {
  cls: string;
  config?: Record<string, unknown>;
  input: ArgTree<TensorSpec>;
  /** Expected output specs, in Keras's flatten order. */
  out: TensorSpec[];
  why: string;
}

const SHAPE_PRESERVING = [
  "AugMix",
  "AutoContrast",
  "ContrastLimitedAdaptiveHistogramEqualization",
  "CutMix",
  "MixUp",
  "RandAugment",
  "RandomBrightness",
  "RandomColorJitter",
  "RandomContrast",
  "RandomElasticTransform",
  "RandomErasing",
  "RandomFlip",
  "RandomGaussianBlur",
  "RandomHue",
  "RandomInvert",
  "RandomPerspective",
  "RandomPosterization",
  "RandomRotation",
  "RandomSaturation",
  "RandomSharpness",
  "RandomShear",
  "RandomTranslation",
  "RandomZoom",
  "Solarization",
  "RandomColorDegeneration",
  "Equalization",
  "RandomGrayscale",
];

const rows: Row[] = [
  // --- image layers: compute_output_shape returns input_shape; default compute_output_spec = compute dtype
  ...SHAPE_PRESERVING.flatMap((cls): Row[] => [
    { cls, input: f32([null, 32, 32, 3]), out: [f32([null, 32, 32, 3])], why: "batch, channels_last" },
    { cls, input: f32([32, 32, 3]), out: [f32([32, 32, 3])], why: "single image (rank 3)" },
    {
      cls,
      config: { data_format: "channels_first" },
      input: f32([null, 3, 16, 8]),
      out: [f32([null, 3, 16, 8])],
      why: "channels_first",
    },
  ]),
  {
    cls: "RandomFlip",
    input: spec([null, 8, 8, 3], "uint8"),
    out: [f32([null, 8, 8, 3])],
    why: "default compute_output_spec: the compute dtype, whatever the input",
  },
  {
    cls: "RandomFlip",
    config: { dtype: "mixed_float16" },
    input: f32([null, 8, 8, 3]),
    out: [spec([null, 8, 8, 3], "float16")],
    why: "mixed policy computes in float16",
  },
  {
    cls: "Equalization",
    input: spec([null, 8, 8, 3], "uint8"),
    out: [spec([null, 8, 8, 3], "uint8")],
    why: "Equalization.compute_output_spec returns the input; integers are not autocast",
  },
  {
    cls: "Equalization",
    input: spec([null, 8, 8, 3], "float16"),
    out: [f32([null, 8, 8, 3])],
    why: "float inputs are autocast to the compute dtype before compute_output_spec",
  },
  {
    cls: "RandomGrayscale",
    input: spec([null, 8, 8, 3], "int32"),
    out: [spec([null, 8, 8, 3], "int32")],
    why: "RandomGrayscale.compute_output_spec: KerasTensor(inputs.shape, dtype=inputs.dtype)",
  },
  {
    cls: "RandomColorDegeneration",
    input: f32([null, 8, 8, null]),
    out: [f32([null, 8, 8, null])],
    why: "an unknown channel count passes the 3-channel check",
  },
  {
    cls: "RandomFlip",
    input: { images: f32([null, 8, 8, 3]), labels: f32([null, 10]) },
    out: [f32([null, 8, 8, 3]), f32([null, 10])],
    why: "dict inputs: every entry keeps its shape (tree.flatten order: keys sorted)",
  },
  // Keras 2 / tf.keras configs (no data_format), as in fixtures/real/Edmond-Dantes+doodle-autocomplete
  {
    cls: "RandomRotation",
    config: { factor: 0.15, fill_mode: "constant", fill_value: 0.0, interpolation: "bilinear", seed: null },
    input: f32([null, 28, 28, 1]),
    out: [f32([null, 28, 28, 1])],
    why: "Keras 2 config",
  },
  // --- Resizing / CenterCrop / RandomCrop: compute_output_shape sets (height, width) on the spatial axes
  {
    cls: "Resizing",
    config: { height: 32, width: 16 },
    input: f32([null, 64, 48, 3]),
    out: [f32([null, 32, 16, 3])],
    why: "rank 4: input_shape[1], [2] = height, width",
  },
  {
    cls: "Resizing",
    config: { height: 32, width: 16, data_format: "channels_first" },
    input: f32([null, 3, 64, 48]),
    out: [f32([null, 3, 32, 16])],
    why: "rank 4 channels_first: input_shape[2], [3]",
  },
  {
    cls: "Resizing",
    config: { height: 32, width: 16 },
    input: spec([64, 48, 3], "uint8"),
    out: [f32([32, 16, 3])],
    why: "rank 3: input_shape[0], [1]; integer images come out in the compute dtype",
  },
  {
    cls: "Resizing",
    config: { height: 20, width: 20, interpolation: "nearest", crop_to_aspect_ratio: true },
    input: f32([null, null, null, 3]),
    out: [f32([null, 20, 20, 3])],
    why: "Keras 2 config; unknown spatial dims become known",
  },
  {
    cls: "CenterCrop",
    config: { height: 4, width: 3 },
    input: f32([null, 6, 5]),
    out: [f32([4, 3, 5])],
    why: "rank 3 is a single image: the batch axis is read as height (fixtures/keras3/layers/CenterCrop)",
  },
  {
    cls: "CenterCrop",
    config: { height: 4, width: 3, data_format: "channels_first" },
    input: f32([null, 2, 6, 5]),
    out: [f32([null, 2, 4, 3])],
    why: "channels_first batch",
  },
  {
    cls: "RandomCrop",
    config: { height: 24, width: 20, seed: 3 },
    input: f32([null, 32, 32, 3]),
    out: [f32([null, 24, 20, 3])],
    why: "input_shape[height_axis=-3], [width_axis=-2]",
  },
  {
    cls: "RandomCrop",
    config: { height: 24, width: 20, data_format: "channels_first" },
    input: f32([3, 32, 32]),
    out: [f32([3, 24, 20])],
    why: "height_axis=-2, width_axis=-1",
  },
  // Keras 2's RandomHeight/RandomWidth: compute_output_shape sets H_AXIS=-3 / W_AXIS=-2 to None
  {
    cls: "RandomHeight",
    config: { factor: 0.2 },
    input: f32([null, 28, 28, 1]),
    out: [f32([null, null, 28, 1])],
    why: "H_AXIS = -3 unknown",
  },
  {
    cls: "RandomWidth",
    config: { factor: [-0.1, 0.3] },
    input: f32([28, 28, 1]),
    out: [f32([28, null, 1])],
    why: "W_AXIS = -2 unknown",
  },
  {
    cls: "MaxNumBoundingBoxes",
    config: { max_number: 10 },
    input: {
      images: f32([null, 64, 64, 3]),
      bounding_boxes: { boxes: f32([null, null, 4]), labels: f32([null, null]) },
    },
    out: [f32([null, 10, 4]), f32([null, 10]), f32([null, 64, 64, 3])],
    why: "boxes_shape[1] = labels_shape[1] = max_number; flatten order bounding_boxes/boxes, /labels, images",
  },
  // --- Rescaling / Normalization: compute_output_shape returns input_shape, compute dtype
  {
    cls: "Rescaling",
    config: { scale: 1 / 255 },
    input: spec([null, 10], "int64"),
    out: [f32([null, 10])],
    why: "any rank; cast to the compute dtype",
  },
  {
    cls: "Rescaling",
    config: { scale: [0.5, 0.5, 0.5], offset: -1, dtype: "mixed_bfloat16" },
    input: f32([null, 8, 8, 3]),
    out: [spec([null, 8, 8, 3], "bfloat16")],
    why: "mixed_bfloat16 compute dtype",
  },
  {
    cls: "Normalization",
    config: { axis: null },
    input: f32([null, 4, 5]),
    out: [f32([null, 4, 5])],
    why: "axis=None",
  },
  // --- CategoryEncoding.compute_output_shape
  {
    cls: "CategoryEncoding",
    config: { num_tokens: 4 },
    input: spec([null, 8], "int32"),
    out: [f32([null, 4])],
    why: "multi_hot: input_shape[:-1] + (num_tokens,)",
  },
  {
    cls: "CategoryEncoding",
    config: { num_tokens: 4, output_mode: "count" },
    input: spec([null, 3, 8], "int32"),
    out: [f32([null, 3, 4])],
    why: "count: input_shape[:-1] + (num_tokens,)",
  },
  {
    cls: "CategoryEncoding",
    config: { num_tokens: 4, output_mode: "one_hot" },
    input: spec([null, 1], "int32"),
    out: [f32([null, 4])],
    why: "one_hot: a trailing 1 is replaced",
  },
  {
    cls: "CategoryEncoding",
    config: { num_tokens: 4, output_mode: "one_hot" },
    input: spec([null, 3], "int32"),
    out: [f32([null, 3, 4])],
    why: "one_hot: input_shape[-1] != 1 appends",
  },
  {
    cls: "CategoryEncoding",
    config: { num_tokens: 4, output_mode: "one_hot" },
    input: spec([1], "int32"),
    out: [f32([1, 4])],
    why: "one_hot, rank 1 of size 1 still appends",
  },
  {
    cls: "CategoryEncoding",
    config: { num_tokens: 6, output_mode: "binary" },
    input: spec([], "int32"),
    out: [f32([6])],
    why: "rank 0: (num_tokens,); Keras 2's 'binary' = multi_hot",
  },
  {
    cls: "CategoryEncoding",
    config: { max_tokens: 5, output_mode: "binary" },
    input: spec([null, 3], "int64"),
    out: [f32([null, 5])],
    why: "TF 2.3-2.4 experimental config: max_tokens stands for num_tokens",
  },
  // --- Discretization.compute_output_shape / output_dtype
  {
    cls: "Discretization",
    config: { bin_boundaries: [0, 1, 2] },
    input: f32([null, 3]),
    out: [spec([null, 3], "int32")],
    why: "int: input_shape, int32",
  },
  {
    cls: "Discretization",
    config: { bin_boundaries: [0, 1, 2], output_mode: "one_hot" },
    input: f32([null, 1]),
    out: [f32([null, 4])],
    why: "one_hot: depth = len(bin_boundaries) + 1 replaces a trailing 1",
  },
  {
    cls: "Discretization",
    config: { bin_boundaries: [0, 1, 2], output_mode: "one_hot" },
    input: f32([null, 3]),
    out: [f32([null, 3, 4])],
    why: "one_hot: appended otherwise",
  },
  {
    cls: "Discretization",
    config: { num_bins: 5, output_mode: "multi_hot" },
    input: f32([null, 3, 7]),
    out: [f32([null, 7, 5])],
    why: "multi_hot: (input_shape[0],) + input_shape[2:] + (depth,), depth = num_bins",
  },
  {
    cls: "Discretization",
    config: { num_bins: 5, output_mode: "count" },
    input: f32([null]),
    out: [f32([5])],
    why: "count, rank 1: (depth,)",
  },
  {
    cls: "Discretization",
    config: { bins: [0.5, 1.5], output_mode: "binary" },
    input: f32([null, 1]),
    out: [f32([null, 3])],
    why: "TF 2.3-2.5 experimental config: bins stands for bin_boundaries, binary for multi_hot",
  },
  // --- Hashing.compute_output_spec: dtype=self.dtype (int64 for "int" unless set)
  {
    cls: "Hashing",
    config: { num_bins: 8 },
    input: spec([null, 1], "string"),
    out: [spec([null, 1], "int64")],
    why: "int: input shape, int64 default dtype",
  },
  {
    cls: "Hashing",
    config: { num_bins: 8, dtype: "int32" },
    input: spec([null, 3], "int64"),
    out: [spec([null, 3], "int32")],
    why: "int with an explicit int32 dtype",
  },
  {
    cls: "Hashing",
    config: { num_bins: 8, output_mode: "one_hot" },
    input: spec([null, 3], "string"),
    out: [f32([null, 8])],
    why: "non-int: input.shape[:-1] + (num_bins,), one_hot included; floatx",
  },
  // --- HashedCrossing.compute_output_shape; compute dtype (int64 default for "int")
  {
    cls: "HashedCrossing",
    config: { num_bins: 8 },
    input: [spec([null, 1], "int64"), spec([null, 1], "string")],
    out: [spec([null, 1], "int64")],
    why: "int: tuple(input_shape[0])",
  },
  {
    cls: "HashedCrossing",
    config: { num_bins: 8, output_mode: "one_hot" },
    input: [spec([null], "int64"), spec([null], "int64")],
    out: [f32([null, 8])],
    why: "one_hot and input_shape[0][-1] != 1: append num_bins",
  },
  {
    cls: "HashedCrossing",
    config: { num_bins: 8, output_mode: "one_hot" },
    input: [spec([null, 1], "int64"), spec([null, 1], "int64")],
    out: [f32([null, 8])],
    why: "one_hot with a trailing 1: input_shape[0][:-1] + (num_bins,)",
  },
  // --- IndexLookup.compute_output_spec: int64 for "int", floatx otherwise; depth = vocabulary size
  {
    cls: "StringLookup",
    config: { vocabulary: ["a", "b", "c"] },
    input: spec([null, 5], "string"),
    out: [spec([null, 5], "int64")],
    why: "int keeps the shape",
  },
  {
    cls: "StringLookup",
    config: { vocabulary: ["a", "b", "c"], output_mode: "one_hot" },
    input: spec([null, 1], "string"),
    out: [f32([null, 4])],
    why: "one_hot: 1 OOV + 3 terms, replacing a trailing 1",
  },
  {
    cls: "StringLookup",
    config: { vocabulary: ["[UNK]", "a", "b"], output_mode: "multi_hot", mask_token: "" },
    input: spec([null, 5], "string"),
    out: [f32([null, 3])],
    why: "special tokens given in the vocabulary are not counted twice; no mask slot outside 'int'",
  },
  {
    cls: "StringLookup",
    config: { output_mode: "count", vocabulary_size: 12 },
    input: spec([null, 5], "string"),
    out: [f32([null, 12])],
    why: "vocabulary_size as get_config wrote it after adapt()",
  },
  {
    cls: "StringLookup",
    config: { output_mode: "tf-idf", max_tokens: 20, pad_to_max_tokens: true },
    input: spec([null, 5], "string"),
    out: [f32([null, 20])],
    why: "pad_to_max_tokens: depth = max_tokens; 'tf-idf' = tf_idf",
  },
  {
    cls: "StringLookup",
    config: { output_mode: "multi_hot" },
    input: spec([null, 5], "string"),
    out: [f32([null, null])],
    why: "a layer never adapted has no known vocabulary size",
  },
  {
    cls: "StringLookup",
    config: { vocabulary: ["a", "b"], invert: true },
    input: spec([null, 5], "int64"),
    out: [spec([null, 5], "int64")],
    why: "invert: Keras's symbolic spec still says int64",
  },
  {
    cls: "IntegerLookup",
    config: { vocabulary: [12, 36, 1138, 42], num_oov_indices: 2, mask_token: 0, output_mode: "multi_hot" },
    input: spec([null, 3], "int64"),
    out: [f32([null, 6])],
    why: "2 OOV + 4 terms (the mask takes no slot outside 'int')",
  },
  {
    cls: "IntegerLookup",
    config: { vocabulary: [-1, 7, 8], output_mode: "one_hot" },
    input: spec([null], "int64"),
    out: [f32([null, 3])],
    why: "one_hot appends; the leading OOV token (-1) is recognised: 1 OOV + 2 terms",
  },
  {
    cls: "IndexLookup",
    config: {
      max_tokens: null,
      num_oov_indices: 1,
      mask_token: null,
      oov_token: -1,
      vocabulary_dtype: "int64",
      vocabulary: [-1, 5, 6],
      output_mode: "count",
    },
    input: spec([null, 4], "int64"),
    out: [f32([null, 3])],
    why: "IndexLookup base: the leading OOV is recognised, 1 + 2 terms",
  },
  // --- TextVectorization.compute_output_shape / compute_output_spec
  {
    cls: "TextVectorization",
    config: { output_sequence_length: 10 },
    input: spec([null], "string"),
    out: [spec([null, 10], "int64")],
    why: "int: (input_shape[0], output_sequence_length)",
  },
  {
    cls: "TextVectorization",
    config: {},
    input: spec([null, 1], "string"),
    out: [spec([null, null], "int64")],
    why: "int without output_sequence_length",
  },
  {
    cls: "TextVectorization",
    config: { output_mode: "multi_hot", vocabulary: ["a", "b"] },
    input: spec([null], "string"),
    out: [f32([null, 3])],
    why: "split appends a token axis; multi_hot folds it: (None, None) -> (None, 1 OOV + 2)",
  },
  {
    cls: "TextVectorization",
    config: { output_mode: "tf_idf", split: null, vocabulary_size: 7 },
    input: spec([null], "string"),
    out: [f32([null, 7])],
    why: "split=None on rank <= 1 appends 1, then the lookup folds it",
  },
  {
    cls: "TextVectorization",
    config: { output_mode: "one_hot", vocabulary_size: 7 },
    input: spec([null, 1], "string"),
    out: [f32([null, 1, null, 7])],
    why: "one_hot on (None, 1, None): the last dim is not 1, so depth is appended",
  },
  // --- MelSpectrogram.compute_output_shape: (len + stride + 1) // stride frames
  {
    cls: "MelSpectrogram",
    config: {},
    input: f32([null, 16000]),
    out: [f32([null, 128, 32])],
    why: "(16000 + 512 + 1) // 512 = 32",
  },
  {
    cls: "MelSpectrogram",
    config: { sequence_stride: 160, num_mel_bins: 80 },
    input: f32([8000]),
    out: [f32([80, 51])],
    why: "unbatched: [num_mel_bins, (8000 + 161) // 160 = 51]",
  },
  {
    cls: "MelSpectrogram",
    config: {},
    input: f32([4, null]),
    out: [f32([4, 128, null])],
    why: "unknown length",
  },
  // --- STFTSpectrogram.compute_output_shape: compute_conv_output_shape(kernel=(frame_length,), stride=frame_step)
  {
    cls: "STFTSpectrogram",
    config: {},
    input: f32([null, 1000, 1]),
    out: [f32([null, 6, 129])],
    why: "valid: floor((1000 - 256) / 128) + 1 = 6 frames; 256 // 2 + 1 = 129 bins",
  },
  {
    cls: "STFTSpectrogram",
    config: { mode: "stft", padding: "same", frame_length: 100 },
    input: f32([null, 1000, 2]),
    out: [f32([null, 20, 260])],
    why: "same: floor(999 / 50) + 1 = 20; fft 128 -> 65 bins, x2 for stft, x2 channels",
  },
  {
    cls: "STFTSpectrogram",
    config: { expand_dims: true, frame_step: 64 },
    input: f32([null, 1000, 2]),
    out: [f32([null, 12, 129, 2])],
    why: "expand_dims channels_last: (batch, time, freq, channels); floor(744 / 64) + 1 = 12",
  },
  {
    cls: "STFTSpectrogram",
    config: { data_format: "channels_first", fft_length: 512 },
    input: f32([null, 2, 1000]),
    out: [f32([null, 514, 6])],
    why: "channels_first: (batch, freq * channels, time); 512 // 2 + 1 = 257",
  },
  {
    cls: "STFTSpectrogram",
    config: { data_format: "channels_first", expand_dims: true },
    input: f32([null, 2, null]),
    out: [f32([null, 2, null, 129])],
    why: "expand_dims channels_first: (batch, channels, time, freq)",
  },
  // --- Pipeline: its layers one after the other
  {
    cls: "Pipeline",
    config: {
      layers: [
        { class_name: "Rescaling", config: { name: "rescaling", scale: 0.5 } },
        { class_name: "CenterCrop", config: { name: "center_crop", height: 4, width: 4 } },
        { class_name: "Equalization", config: { name: "eq" } },
      ],
    },
    input: spec([null, 8, 8, 3], "uint8"),
    out: [f32([null, 4, 4, 3])],
    why: "Rescaling -> CenterCrop -> Equalization",
  },
];

describe("preprocessing layers: output shapes and dtypes", () => {
  for (const row of rows) {
    it(`${row.cls} ${JSON.stringify(row.config ?? {})} on ${JSON.stringify(row.input)}: ${row.why}`, () => {
      const { outputs } = run(row.cls, row.config ?? {}, row.input);
      expect(outputs).toEqual(row.out);
    });
  }
});

describe("preprocessing layers: weights", () => {
  it("Normalization without mean/variance builds mean, variance (kept axes) and a scalar count, non-trainable", () => {
    const { weights } = run("Normalization", { axis: [1, -1] }, f32([null, 4, 5, 6]));
    expect(weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([
      ["mean", [4, 6], false],
      ["variance", [4, 6], false],
      ["count", [], false],
    ]);
  });
  it("Normalization with axis=None keeps scalar statistics", () => {
    const { weights } = run("Normalization", { axis: null }, f32([null, 3]));
    expect(weights.map((w) => w.shape)).toEqual([[], [], []]);
  });
  it("Normalization given mean and variance creates no variables", () => {
    const { weights } = run("Normalization", { mean: [1, 2, 3], variance: [1, 1, 1] }, f32([null, 3]));
    expect(weights).toEqual([]);
  });
  it("STFTSpectrogram builds real_kernel and imag_kernel (frame_length, 1, fft // 2 + 1); real/imag modes only one", () => {
    expect(run("STFTSpectrogram", {}, f32([null, 1000, 1])).weights.map((w) => [w.name, w.shape, w.trainable])).toEqual(
      [
        ["real_kernel", [256, 1, 129], true],
        ["imag_kernel", [256, 1, 129], true],
      ],
    );
    expect(run("STFTSpectrogram", { mode: "real" }, f32([null, 1000, 1])).weights.map((w) => w.name)).toEqual([
      "real_kernel",
    ]);
    expect(run("STFTSpectrogram", { mode: "imag" }, f32([null, 1000, 1])).weights.map((w) => w.name)).toEqual([
      "imag_kernel",
    ]);
  });
  it("Pipeline collects its layers' weights under their names", () => {
    const { weights } = run(
      "Pipeline",
      { layers: [{ class_name: "Normalization", config: { name: "norm", axis: -1 } }] },
      f32([null, 8, 3]),
    );
    expect(weights.map((w) => [w.name, w.shape])).toEqual([
      ["norm/mean", [3]],
      ["norm/variance", [3]],
      ["norm/count", []],
    ]);
  });
  it("random and lookup layers have no weights (seed generators are not weights)", () => {
    for (const cls of ["RandomFlip", "RandomRotation", "AugMix", "RandAugment"]) {
      expect(run(cls, { factor: 0.1 }, f32([null, 8, 8, 3])).weights).toEqual([]);
    }
    expect(run("StringLookup", {}, spec([null], "string")).weights).toEqual([]);
  });
});

const errorRows: { cls: string; config?: Record<string, unknown>; input: ArgTree<TensorSpec>; message: RegExp }[] = [
  { cls: "RandomFlip", input: f32([null, 10]), message: /RandomFlip 'l'.*rank 3.*or 4.*\(None, 10\)/ },
  { cls: "AugMix", input: f32([null, 2, 8, 8, 3]), message: /AugMix 'l'.*rank 3/ },
  { cls: "Equalization", input: f32([8, 8]), message: /Equalization 'l'.*rank 3/ },
  { cls: "Resizing", config: { height: 4, width: 4 }, input: f32([null, 4]), message: /Resizing 'l'.*rank 3/ },
  { cls: "CenterCrop", config: { height: 4, width: 4 }, input: f32([null, 2, 8, 8, 3]), message: /CenterCrop 'l'/ },
  { cls: "RandomHeight", config: { factor: 0.2 }, input: f32([null, 4]), message: /RandomHeight 'l'/ },
  {
    cls: "RandomColorDegeneration",
    config: { factor: 0.5 },
    input: f32([null, 8, 8, 1]),
    message: /RandomColorDegeneration 'l'.*3 channels.*1 channels/,
  },
  {
    cls: "RandomColorDegeneration",
    config: { factor: 0.5, data_format: "channels_first" },
    input: f32([null, 8, 8, 3]),
    message: /3 channels.*8 channels/,
  },
  {
    cls: "MaxNumBoundingBoxes",
    config: { max_number: 3 },
    input: { images: f32([null, 8, 8, 3]), bounding_boxes: { boxes: f32([null, 5, 4]), scores: f32([null, 5]) } },
    message: /MaxNumBoundingBoxes 'l'.*scores/,
  },
  {
    cls: "Normalization",
    config: { axis: 3 },
    input: f32([null, 4, 5]),
    message: /Normalization 'l'.*\[-ndim, ndim\).*ndim=3/,
  },
  { cls: "Normalization", config: { axis: -1 }, input: f32([null, 4, null]), message: /known size.*index 2/ },
  {
    cls: "HashedCrossing",
    config: { num_bins: 4 },
    input: [spec([null, 1], "int64"), spec([null, 1], "int64"), spec([null, 1], "int64")],
    message: /HashedCrossing 'l'.*2 input tensors/,
  },
  {
    cls: "HashedCrossing",
    config: { num_bins: 4 },
    input: [spec([null, 3], "int64"), spec([null, 3], "int64")],
    message: /\(batch_size, 1\)/,
  },
  {
    cls: "StringLookup",
    config: { invert: true, output_mode: "one_hot" },
    input: spec([null], "int64"),
    message: /invert/,
  },
  { cls: "MelSpectrogram", input: f32([null, 100, 1]), message: /MelSpectrogram 'l'.*\(batch, samples\)/ },
  { cls: "STFTSpectrogram", input: f32([null, 1000]), message: /STFTSpectrogram 'l'.*rank 3/ },
  { cls: "STFTSpectrogram", input: f32([null, 100, 1]), message: /zero or negative.*\(None, 100, 1\)/ },
  { cls: "TextVectorization", input: spec([], "string"), message: /TextVectorization 'l'.*rank >= 1/ },
];

describe("preprocessing layers: errors Keras raises", () => {
  for (const row of errorRows) {
    it(`${row.cls} on ${JSON.stringify(row.input)}`, () => {
      expect(() => run(row.cls, row.config ?? {}, row.input)).toThrow(ShapeError);
      expect(() => run(row.cls, row.config ?? {}, row.input)).toThrow(row.message);
    });
  }
});

describe("preprocessing fixtures: output shapes from Keras's summary.txt", () => {
  // The single-layer fixtures have no consumer to record the output shape; the summary's row does.
  const cases = [
    "AugMix",
    "AutoContrast",
    "CategoryEncoding",
    "CenterCrop",
    "ContrastLimitedAdaptiveHistogramEqualization",
    "CutMix",
  ];
  for (const cls of cases) {
    it(cls, () => {
      const summary = readFileSync(join(FIXTURES, "layers", cls, "summary.txt"), "utf8");
      const [call] = recordedCalls(`layers/${cls}`);
      // The first row after the input layer's: the layer's name (maybe wrapped) and its output shape.
      const lines = summary.split("\n");
      const row = lines[lines.findIndex((l) => l.startsWith("├")) + 1]!;
      const printed = row.split("│")[2]!.trim();
      expect(formatShape(evaluateRecorded(call!).outputs[0]!.shape)).toBe(printed);
    });
  }
});

describe("real-world file: Edmond-Dantes+doodle-autocomplete (tfjs, Keras 2.15)", () => {
  it("its augmentation Sequential (RandomFlip, RandomRotation) keeps (None, 28, 28, 1) and has no weights", () => {
    const path = join(FIXTURES, "../real/Edmond-Dantes+doodle-autocomplete/web_model/model.json");
    const model = JSON.parse(readFileSync(path, "utf8"));
    const aug = model.modelTopology.model_config.config.layers.find(
      (l: { config: { name: string } }) => l.config.name === "aug",
    );
    let x = f32(aug.config.layers[0].config.batch_input_shape);
    const seen: string[] = [];
    for (const l of aug.config.layers.slice(1)) {
      const { outputs, weights } = run(l.class_name, l.config, x);
      expect(weights).toEqual([]);
      x = outputs[0]!;
      seen.push(l.class_name);
    }
    expect(seen).toEqual(["RandomFlip", "RandomRotation"]);
    expect(x).toEqual(f32([null, 28, 28, 1]));
  });
});
