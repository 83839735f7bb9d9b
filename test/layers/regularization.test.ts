/**
 * Regularization kinds: identities at inference (`compute_output_shape` returns the input shape; compute
 * dtype); SpatialDropout1D/2D/3D require inputs of rank 3/4/5 (their InputSpec), and every constructor
 * rejects a rate (stddev) outside [0, 1].
 */
import { describe, expect, it } from "vitest";
import { FormatError, ShapeError } from "../../src/ir/errors.js";
import type { Shape } from "../../src/ir/shape.js";
import { regularizationKinds } from "../../src/layers/regularization/index.js";
import { checkLayerFixtures, outputShape, runKind } from "./run-kind.js";

const N = null;
const rows: [className: string, config: Record<string, unknown>, input: Shape][] = [
  ["Dropout", { rate: 0.5 }, [N, 3, 4]],
  ["Dropout", { rate: 0.5, noise_shape: [N, 1, 4], seed: 3 }, [N, 3, 4]],
  ["Dropout", { p: 0.25 }, [N, 3]],
  ["SpatialDropout1D", { rate: 0.2 }, [N, 7, 4]],
  ["SpatialDropout2D", { rate: 0.2, data_format: "channels_first" }, [N, 3, 7, 4]],
  ["SpatialDropout3D", { rate: 0.2 }, [N, 2, 3, 7, 4]],
  ["GaussianDropout", { rate: 0.1 }, [N, 5]],
  ["GaussianNoise", { stddev: 0.1 }, [N, 5, N]],
  ["AlphaDropout", { rate: 0.1 }, [N, 5]],
  ["ActivityRegularization", { l1: 0.01 }, [N, 5]],
];

const errorRows: [
  label: string,
  className: string,
  config: Record<string, unknown>,
  input: Shape,
  error: typeof ShapeError,
  message: RegExp,
][] = [
  [
    "SpatialDropout1D rank",
    "SpatialDropout1D",
    { rate: 0.1 },
    [N, 3],
    ShapeError,
    /SpatialDropout1D 'layer'.*expected ndim=3, found ndim=2/,
  ],
  ["SpatialDropout2D rank", "SpatialDropout2D", { rate: 0.1 }, [N, 3, 3], ShapeError, /expected ndim=4, found ndim=3/],
  [
    "SpatialDropout3D rank",
    "SpatialDropout3D",
    { rate: 0.1 },
    [N, 3, 3, 3],
    ShapeError,
    /expected ndim=5, found ndim=4/,
  ],
  [
    "Dropout rate",
    "Dropout",
    { rate: 1.5 },
    [N, 3],
    FormatError,
    /Dropout 'layer'.*rate.*between 0 and 1. Received: rate=1.5/,
  ],
  ["GaussianNoise stddev", "GaussianNoise", { stddev: -1 }, [N, 3], FormatError, /stddev/],
  ["Dropout noise_shape", "Dropout", { rate: 0.5, noise_shape: [0, 3] }, [N, 3], FormatError, /noise_shape/],
];

describe("regularization kinds: output shapes", () => {
  it.each(rows)("%s %j", (className, config, input) => {
    expect(outputShape(className, config, input)).toEqual(input);
    expect(runKind(className, config, input).weights).toEqual([]);
  });
});

describe("regularization kinds: errors", () => {
  it.each(errorRows)("%s", (_label, className, config, input, error, message) => {
    expect(() => runKind(className, config, input)).toThrow(error);
    expect(() => runKind(className, config, input)).toThrow(message);
  });
});

describe("regularization kinds against Keras's single-layer fixtures", () => checkLayerFixtures(regularizationKinds));
