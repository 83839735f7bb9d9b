/**
 * Pooling kinds beyond what the fixtures record. Expected shapes come from Keras's
 * `compute_pooling_output_shape` (keras/src/ops/operation_utils.py), strides defaulting to pool_size:
 * "valid": floor((n - pool) / s) + 1; "same": floor((n - 1) / s) + 1; `BaseGlobalPooling`
 * (channels, or ones in place of the spatial axes with keepdims); `BaseAdaptivePooling` (spatial axes
 * become output_size).
 */
import { describe, expect, it } from "vitest";
import { FormatError, ShapeError } from "../../src/ir/errors.js";
import type { Shape } from "../../src/ir/shape.js";
import { poolingKinds } from "../../src/layers/pooling/index.js";
import { checkLayerFixtures, outputShape, runKind, spec } from "./run-kind.js";

type Row = [label: string, className: string, config: Record<string, unknown>, input: Shape, output: Shape];

const N = null;
const rows: Row[] = [
  // floor((7 - 2) / 2) + 1 = 3
  ["MaxPooling2D defaults", "MaxPooling2D", {}, [N, 7, 7, 3], [N, 3, 3, 3]],
  // same: floor((7 - 1) / 2) + 1 = 4; floor((8 - 1) / 2) + 1 = 4
  ["MaxPooling2D same", "MaxPooling2D", { pool_size: 3, strides: 2, padding: "same" }, [N, 7, 8, 3], [N, 4, 4, 3]],
  // floor((5 - 2) / 1) + 1 = 4
  ["MaxPooling2D strides 1", "MaxPooling2D", { pool_size: [2, 2], strides: [1, 1] }, [N, 5, 5, 3], [N, 4, 4, 3]],
  ["MaxPooling2D strides null", "MaxPooling2D", { pool_size: [3, 2], strides: null }, [N, 9, 9, 3], [N, 3, 4, 3]],
  // floor((10 - 3) / 1) + 1 = 8
  [
    "AveragePooling1D channels_first",
    "AveragePooling1D",
    { pool_size: 3, strides: 1, data_format: "channels_first" },
    [N, 4, 10],
    [N, 4, 8],
  ],
  ["AveragePooling3D unknown dim", "AveragePooling3D", { pool_size: [2, 2, 2] }, [N, N, 8, 8, 1], [N, N, 4, 4, 1]],
  // same: floor((5 - 1) / 2) + 1 = 3
  [
    "MaxPooling3D channels_first same",
    "MaxPooling3D",
    { padding: "same", data_format: "channels_first" },
    [N, 2, 5, 5, 5],
    [N, 2, 3, 3, 3],
  ],
  // Keras 1: pool_length / stride / border_mode; floor((9 - 2) / 2) + 1 = 4
  [
    "Keras 1 MaxPooling1D",
    "MaxPooling1D",
    { pool_length: 2, stride: null, border_mode: "valid" },
    [N, 9, 4],
    [N, 4, 4],
  ],
  [
    "Keras 1 MaxPooling2D th",
    "MaxPooling2D",
    { pool_size: [2, 2], strides: null, border_mode: "valid", dim_ordering: "th" },
    [N, 3, 8, 8],
    [N, 3, 4, 4],
  ],
  ["MaxPool2D alias", "MaxPool2D", { pool_size: 2 }, [N, 4, 4, 1], [N, 2, 2, 1]],
  ["AvgPool1D alias", "AvgPool1D", { pool_size: 2 }, [N, 4, 1], [N, 2, 1]],
  ["GlobalAveragePooling2D", "GlobalAveragePooling2D", {}, [N, 5, 5, 3], [N, 3]],
  ["GlobalAveragePooling2D keepdims", "GlobalAveragePooling2D", { keepdims: true }, [N, 5, 5, 3], [N, 1, 1, 3]],
  [
    "GlobalAveragePooling2D channels_first keepdims",
    "GlobalAveragePooling2D",
    { keepdims: true, data_format: "channels_first" },
    [N, 3, 5, 5],
    [N, 3, 1, 1],
  ],
  [
    "GlobalAveragePooling2D channels_first",
    "GlobalAveragePooling2D",
    { data_format: "channels_first" },
    [N, 3, 5, 5],
    [N, 3],
  ],
  ["GlobalMaxPooling1D channels_first", "GlobalMaxPooling1D", { data_format: "channels_first" }, [N, 4, 10], [N, 4]],
  ["GlobalMaxPooling3D unknown dims", "GlobalMaxPooling3D", {}, [N, N, N, N, 7], [N, 7]],
  ["GlobalAveragePooling3D keepdims", "GlobalAveragePooling3D", { keepdims: true }, [N, 2, 3, 4, 7], [N, 1, 1, 1, 7]],
  ["GlobalAvgPool1D alias", "GlobalAvgPool1D", {}, [N, 3, 2], [N, 2]],
  ["GlobalMaxPool2D alias", "GlobalMaxPool2D", {}, [N, 3, 3, 2], [N, 2]],
  ["AdaptiveAveragePooling2D int", "AdaptiveAveragePooling2D", { output_size: 3 }, [N, 10, 11, 4], [N, 3, 3, 4]],
  [
    "AdaptiveMaxPooling2D channels_first",
    "AdaptiveMaxPooling2D",
    { output_size: [2, 5], data_format: "channels_first" },
    [N, 4, 10, 11],
    [N, 4, 2, 5],
  ],
  ["AdaptiveAveragePooling1D", "AdaptiveAveragePooling1D", { output_size: [4] }, [N, 16, 3], [N, 4, 3]],
  [
    "AdaptiveMaxPooling3D unknown input dims",
    "AdaptiveMaxPooling3D",
    { output_size: [2, 2, 2] },
    [N, N, N, 8, 1],
    [N, 2, 2, 2, 1],
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
  ["pooling rank", "MaxPooling2D", {}, [N, 4, 4], ShapeError, /MaxPooling2D 'layer'.*expected ndim=4, found ndim=3/],
  [
    "pool larger than input",
    "MaxPooling2D",
    { pool_size: 2 },
    [N, 1, 4, 3],
    ShapeError,
    /zero or negative.*\(None, 1, 4, 3\)/,
  ],
  ["global pooling rank", "GlobalAveragePooling2D", {}, [N, 4, 4], ShapeError, /expected ndim=4, found ndim=3/],
  [
    "adaptive pooling rank",
    "AdaptiveAveragePooling1D",
    { output_size: 2 },
    [N, 4, 4, 4],
    ShapeError,
    /expected ndim=3, found ndim=4/,
  ],
  ["causal padding", "MaxPooling1D", { padding: "causal" }, [N, 4, 4], FormatError, /padding/],
  ["pool_size 0", "MaxPooling1D", { pool_size: 0 }, [N, 4, 4], FormatError, /pool_size.*value > 0/],
  ["strides 0", "MaxPooling1D", { pool_size: 2, strides: 0 }, [N, 4, 4], FormatError, /strides/],
  [
    "adaptive output_size length",
    "AdaptiveMaxPooling2D",
    { output_size: [1, 2, 3] },
    [N, 4, 4, 4],
    FormatError,
    /output_size/,
  ],
  ["average pooling needs pool_size", "AveragePooling2D", {}, [N, 4, 4, 4], FormatError, /pool_size/],
];

describe("pooling kinds: output shapes", () => {
  it.each(rows)("%s", (_label, className, config, input, output) => {
    expect(outputShape(className, config, input)).toEqual(output);
  });
  it("GlobalAveragePooling1D called with mask= pools its inputs only", () => {
    const shape = outputShape("GlobalAveragePooling1D", {}, [N, 6, 8], { mask: spec([N, 6], "bool") });
    expect(shape).toEqual([N, 8]);
  });
  it("pooling builds no weights", () => {
    expect(runKind("MaxPooling2D", {}, [N, 4, 4, 2]).weights).toEqual([]);
  });
});

describe("pooling kinds: errors", () => {
  it.each(errorRows)("%s", (_label, className, config, input, error, message) => {
    expect(() => runKind(className, config, input)).toThrow(error);
    expect(() => runKind(className, config, input)).toThrow(message);
  });
});

describe("pooling kinds against Keras's single-layer fixtures", () => checkLayerFixtures(poolingKinds));
