/**
 * Normalization kinds beyond what the fixtures record. Expected weights come from the layers' `build`
 * (keras/src/layers/normalization/*.py):
 * - BatchNormalization: gamma (scale), beta (center), moving_mean, moving_variance (non-trainable), plus
 *   moving_stddev, renorm_mean, renorm_stddev with renorm, all `(input_shape[axis],)`. tf.keras
 *   (BatchNormalizationBase.build) with several axes: the input's rank, 1 off the axes.
 * - LayerNormalization: gamma/beta of `input_shape[a] for a in sorted(canonicalize_axes(axis))`.
 * - GroupNormalization: gamma/beta `(input_shape[axis],)`; groups must divide it (-1: one per channel).
 * - RMSNormalization: scale of `input_shape[a] for a in sorted(axis)`.
 * - SpectralNormalization: vector_u `(1, kernel.shape[-1])` (non-trainable), then the wrapped layer's.
 * All keep the input's shape (or, wrapped, the wrapped layer's output).
 */
import { describe, expect, it } from "vitest";
import { FormatError, ShapeError } from "../../src/ir/errors.js";
import type { Shape } from "../../src/ir/shape.js";
import { normalizationKinds } from "../../src/layers/normalization/index.js";
import { checkLayerFixtures, outputShape, runKind, weightShapes } from "./run-kind.js";

const N = null;
const dense = (units: number) => ({ class_name: "Dense", config: { name: "dense", units } });

type WeightRow = [
  label: string,
  className: string,
  config: Record<string, unknown>,
  input: Shape,
  weights: [string, number[]][],
];
const weightRows: WeightRow[] = [
  [
    "BatchNormalization channels_first",
    "BatchNormalization",
    { axis: 1 },
    [N, 3, 8, 8],
    [
      ["gamma", [3]],
      ["beta", [3]],
      ["moving_mean", [3]],
      ["moving_variance", [3]],
    ],
  ],
  [
    "BatchNormalization no center, no scale",
    "BatchNormalization",
    { center: false, scale: false },
    [N, 5],
    [
      ["moving_mean", [5]],
      ["moving_variance", [5]],
    ],
  ],
  [
    "BatchNormalization scale only",
    "BatchNormalization",
    { center: false },
    [N, 5],
    [
      ["gamma", [5]],
      ["moving_mean", [5]],
      ["moving_variance", [5]],
    ],
  ],
  // tf.keras writes axis=[3] after build
  [
    "BatchNormalization tf.keras axis list",
    "BatchNormalization",
    { axis: [3] },
    [N, 4, 4, 5],
    [
      ["gamma", [5]],
      ["beta", [5]],
      ["moving_mean", [5]],
      ["moving_variance", [5]],
    ],
  ],
  [
    "BatchNormalization tf.keras two axes",
    "BatchNormalization",
    { axis: [1, 2], center: false },
    [N, 4, 5, 6],
    [
      ["gamma", [1, 4, 5, 1]],
      ["moving_mean", [1, 4, 5, 1]],
      ["moving_variance", [1, 4, 5, 1]],
    ],
  ],
  [
    "BatchNormalization renorm",
    "BatchNormalization",
    { renorm: true },
    [N, 2],
    [
      ["gamma", [2]],
      ["beta", [2]],
      ["moving_mean", [2]],
      ["moving_variance", [2]],
      ["moving_stddev", [2]],
      ["renorm_mean", [2]],
      ["renorm_stddev", [2]],
    ],
  ],
  [
    "LayerNormalization two axes",
    "LayerNormalization",
    { axis: [1, 2] },
    [N, 4, 5, 6],
    [
      ["gamma", [4, 5]],
      ["beta", [4, 5]],
    ],
  ],
  // canonical and sorted: [-1, 1] -> [1, 3]
  [
    "LayerNormalization negative axes sorted",
    "LayerNormalization",
    { axis: [-1, 1] },
    [N, 4, 5, 6],
    [
      ["gamma", [4, 6]],
      ["beta", [4, 6]],
    ],
  ],
  ["LayerNormalization rms_scaling", "LayerNormalization", { rms_scaling: true }, [N, 3, 7], [["gamma", [7]]]],
  ["LayerNormalization no center", "LayerNormalization", { center: false }, [N, 7], [["gamma", [7]]]],
  [
    "GroupNormalization instance norm",
    "GroupNormalization",
    { groups: -1 },
    [N, 6, 6, 8],
    [
      ["gamma", [8]],
      ["beta", [8]],
    ],
  ],
  [
    "GroupNormalization channels_first",
    "GroupNormalization",
    { groups: 2, axis: 1, scale: false },
    [N, 4, 5, 5],
    [["beta", [4]]],
  ],
  ["RMSNormalization", "RMSNormalization", {}, [N, 3, 10], [["scale", [10]]]],
  ["RMSNormalization two axes", "RMSNormalization", { axis: [2, 1] }, [N, 3, 10], [["scale", [3, 10]]]],
  ["UnitNormalization", "UnitNormalization", { axis: [1, 2] }, [N, 3, 4], []],
  [
    "SpectralNormalization Dense",
    "SpectralNormalization",
    { layer: dense(4) },
    [N, 3],
    [
      ["vector_u", [1, 4]],
      ["dense/kernel", [3, 4]],
      ["dense/bias", [4]],
    ],
  ],
  [
    "SpectralNormalization Conv2D",
    "SpectralNormalization",
    {
      layer: { class_name: "Conv2D", config: { name: "conv", filters: 8, kernel_size: 3, use_bias: false } },
      power_iterations: 2,
    },
    [N, 9, 9, 2],
    [
      ["vector_u", [1, 8]],
      ["conv/kernel", [3, 3, 2, 8]],
    ],
  ],
];

type ErrorRow = [
  label: string,
  className: string,
  config: Record<string, unknown>,
  input: Shape,
  error: typeof ShapeError,
  message: RegExp,
];
const errorRows: ErrorRow[] = [
  [
    "BN axis out of bounds",
    "BatchNormalization",
    { axis: 3 },
    [N, 4],
    ShapeError,
    /BatchNormalization 'layer': Axis 3 is out of bounds for input shape \(None, 4\)/,
  ],
  ["BN unknown channels", "BatchNormalization", {}, [N, 4, N], ShapeError, /must have a known size/],
  [
    "LN axis out of bounds",
    "LayerNormalization",
    { axis: -4 },
    [N, 4, 4],
    ShapeError,
    /axis -4 is out of bounds for an array with dimension 3/,
  ],
  ["LN duplicate axes", "LayerNormalization", { axis: [2, -1] }, [N, 4, 4], ShapeError, /Duplicate axes/],
  [
    "GN groups do not divide",
    "GroupNormalization",
    { groups: 3 },
    [N, 8],
    ShapeError,
    /Number of groups \(3\) must be a multiple of the number of channels \(8\)/,
  ],
  [
    "GN more groups than channels",
    "GroupNormalization",
    { groups: 16 },
    [N, 8],
    ShapeError,
    /cannot be more than the number of channels/,
  ],
  [
    "GN unknown channels",
    "GroupNormalization",
    { groups: 2 },
    [N, 4, N],
    ShapeError,
    /should have a defined dimension/,
  ],
  ["GN invalid groups", "GroupNormalization", { groups: 0 }, [N, 8], FormatError, /groups=0/],
  ["Unit axis out of bounds", "UnitNormalization", { axis: 2 }, [N, 4], ShapeError, /out of bounds/],
  ["RMS axis out of bounds", "RMSNormalization", { axis: 5 }, [N, 4], ShapeError, /out of bounds/],
  [
    "Spectral on a layer without kernel",
    "SpectralNormalization",
    { layer: { class_name: "BatchNormalization", config: { name: "bn" } } },
    [N, 4],
    ShapeError,
    /no attribute 'kernel' nor 'embeddings'/,
  ],
  [
    "Spectral power_iterations",
    "SpectralNormalization",
    { layer: dense(2), power_iterations: 0 },
    [N, 4],
    FormatError,
    /power_iterations/,
  ],
];

describe("normalization kinds: weights", () => {
  it.each(weightRows)("%s", (_label, className, config, input, weights) => {
    expect(weightShapes(className, config, input)).toEqual(weights);
  });
  it("moving statistics and vector_u are non-trainable", () => {
    expect(runKind("BatchNormalization", {}, [N, 3]).weights.map((w) => w.trainable)).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(runKind("SpectralNormalization", { layer: dense(2) }, [N, 3]).weights.map((w) => w.trainable)).toEqual([
      false,
      true,
      true,
    ]);
  });
  it("mixed precision: float16 outputs, float32 variables", () => {
    const { outputs, weights } = runKind("LayerNormalization", { dtype: "mixed_float16" }, [N, 3]);
    expect(outputs[0]!.dtype).toBe("float16");
    expect(weights.map((w) => w.dtype)).toEqual(["float32", "float32"]);
  });
});

describe("normalization kinds: output shapes", () => {
  it.each([
    ["BatchNormalization", { axis: 1 }, [N, 3, 8, 8]],
    ["LayerNormalization", { axis: [1, 2] }, [N, 4, 5, 6]],
    ["GroupNormalization", { groups: 4 }, [2, N, 8]],
    ["UnitNormalization", {}, [N, 5]],
    ["RMSNormalization", {}, [N, N, 5]],
  ] as [string, Record<string, unknown>, Shape][])("%s keeps the input shape", (className, config, input) => {
    expect(outputShape(className, config, input)).toEqual(input);
  });
  it("SpectralNormalization gives the wrapped layer's output", () => {
    expect(outputShape("SpectralNormalization", { layer: dense(4) }, [N, 6, 3])).toEqual([N, 6, 4]);
  });
});

describe("normalization kinds: errors", () => {
  it.each(errorRows)("%s", (_label, className, config, input, error, message) => {
    expect(() => runKind(className, config, input)).toThrow(error);
    expect(() => runKind(className, config, input)).toThrow(message);
  });
});

describe("normalization kinds against Keras's single-layer fixtures", () => checkLayerFixtures(normalizationKinds));
