/**
 * Reshaping kinds beyond what the fixtures record. Expected shapes follow each layer's
 * `compute_output_shape` in keras/src/layers/reshaping/: Flatten (batch, prod(rest)), Reshape
 * (`compute_reshape_output_shape`: -1 resolved when every input dim is known), Permute (dims index the
 * input), RepeatVector (batch, n, features), Cropping n - before - after, ZeroPadding n + before + after,
 * UpSampling n * size; unknown dims stay unknown.
 */
import { describe, expect, it } from "vitest";
import { FormatError, ShapeError } from "../../src/ir/errors.js";
import type { Shape } from "../../src/ir/shape.js";
import { reshapingKinds } from "../../src/layers/reshaping/index.js";
import { checkLayerFixtures, outputShape, runKind, spec } from "./run-kind.js";

type Row = [label: string, className: string, config: Record<string, unknown>, input: Shape, output: Shape];

const N = null;
const rows: Row[] = [
  ["Flatten", "Flatten", {}, [N, 3, 4, 5], [N, 60]],
  ["Flatten unknown dim", "Flatten", {}, [N, 3, N], [N, N]],
  ["Flatten rank 1", "Flatten", {}, [N], [N, 1]],
  ["Flatten channels_first (shape only)", "Flatten", { data_format: "channels_first" }, [4, 3, 2], [4, 6]],
  // 3*8 = 24 = -1 * 4 -> 6
  ["Reshape -1", "Reshape", { target_shape: [-1, 4] }, [N, 3, 8], [N, 6, 4]],
  ["Reshape -1 with unknown input", "Reshape", { target_shape: [-1, 4] }, [N, N, 8], [N, N, 4]],
  ["Reshape full", "Reshape", { target_shape: [2, 12] }, [N, 3, 8], [N, 2, 12]],
  ["Reshape to rank 1", "Reshape", { target_shape: [-1] }, [N, 2, 3, 4], [N, 24]],
  ["Reshape null in target", "Reshape", { target_shape: [N, 4] }, [N, 3, 8], [N, N, 4]],
  ["Permute swap", "Permute", { dims: [2, 1] }, [N, 3, 4], [N, 4, 3]],
  ["Permute 3", "Permute", { dims: [3, 1, 2] }, [N, 2, 3, 4], [N, 4, 2, 3]],
  ["RepeatVector", "RepeatVector", { n: 3 }, [N, 5], [N, 3, 5]],
  ["Cropping1D default (1, 1)", "Cropping1D", {}, [N, 10, 3], [N, 8, 3]],
  ["Cropping1D asymmetric", "Cropping1D", { cropping: [2, 0] }, [N, 10, 3], [N, 8, 3]],
  ["Cropping1D unknown length", "Cropping1D", { cropping: 3 }, [N, N, 3], [N, N, 3]],
  ["Cropping2D int", "Cropping2D", { cropping: 2 }, [N, 10, 12, 3], [N, 6, 8, 3]],
  [
    "Cropping2D pairs",
    "Cropping2D",
    {
      cropping: [
        [1, 2],
        [3, 4],
      ],
    },
    [N, 10, 12, 3],
    [N, 7, 5, 3],
  ],
  ["Cropping2D symmetric ints", "Cropping2D", { cropping: [1, 2] }, [N, 10, 12, 3], [N, 8, 8, 3]],
  [
    "Cropping2D channels_first",
    "Cropping2D",
    {
      cropping: [
        [1, 1],
        [2, 2],
      ],
      data_format: "channels_first",
    },
    [N, 3, 10, 12],
    [N, 3, 8, 8],
  ],
  ["Cropping2D unknown dim", "Cropping2D", { cropping: 1 }, [N, N, 12, 3], [N, N, 10, 3]],
  ["Cropping3D default", "Cropping3D", {}, [N, 5, 6, 7, 2], [N, 3, 4, 5, 2]],
  [
    "Cropping3D channels_first",
    "Cropping3D",
    { cropping: [0, 1, 2], data_format: "channels_first" },
    [N, 2, 5, 6, 7],
    [N, 2, 5, 4, 3],
  ],
  ["ZeroPadding1D default", "ZeroPadding1D", {}, [N, 10, 3], [N, 12, 3]],
  ["ZeroPadding1D pair", "ZeroPadding1D", { padding: [2, 3] }, [N, 10, 3], [N, 15, 3]],
  [
    "ZeroPadding1D channels_first",
    "ZeroPadding1D",
    { padding: 1, data_format: "channels_first" },
    [N, 3, 10],
    [N, 3, 12],
  ],
  ["ZeroPadding2D default", "ZeroPadding2D", {}, [N, 5, 5, 3], [N, 7, 7, 3]],
  [
    "ZeroPadding2D pairs",
    "ZeroPadding2D",
    {
      padding: [
        [1, 2],
        [3, 4],
      ],
    },
    [N, 5, 5, 3],
    [N, 8, 12, 3],
  ],
  [
    "ZeroPadding2D channels_first",
    "ZeroPadding2D",
    { padding: [1, 2], data_format: "channels_first" },
    [N, 3, 5, N],
    [N, 3, 7, N],
  ],
  [
    "Keras 1 ZeroPadding2D (top, bottom, left, right)",
    "ZeroPadding2D",
    { padding: [1, 2, 3, 4], dim_ordering: "tf" },
    [N, 5, 5, 3],
    [N, 8, 12, 3],
  ],
  ["ZeroPadding3D int", "ZeroPadding3D", { padding: 2 }, [N, 2, 2, 2, 1], [N, 6, 6, 6, 1]],
  ["UpSampling1D", "UpSampling1D", { size: 3 }, [N, 4, 2], [N, 12, 2]],
  ["Keras 1 UpSampling1D length", "UpSampling1D", { length: 2 }, [N, 4, 2], [N, 8, 2]],
  [
    "UpSampling2D channels_first",
    "UpSampling2D",
    { size: [2, 3], data_format: "channels_first", interpolation: "bilinear" },
    [N, 3, 4, 5],
    [N, 3, 8, 15],
  ],
  ["UpSampling2D unknown dim", "UpSampling2D", {}, [N, N, 4, 5], [N, N, 8, 5]],
  ["UpSampling3D default", "UpSampling3D", {}, [N, 2, 3, 4, 1], [N, 4, 6, 8, 1]],
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
  ["Flatten scalar", "Flatten", {}, [], ShapeError, /Flatten 'layer'.*expected min_ndim=1, found ndim=0/],
  [
    "Reshape size",
    "Reshape",
    { target_shape: [5] },
    [N, 2, 3],
    ShapeError,
    /total size of the tensor must be unchanged.*\(2, 3\)/,
  ],
  ["Reshape -1 does not divide", "Reshape", { target_shape: [-1, 4] }, [N, 2, 3], ShapeError, /cannot by divided/],
  ["Reshape two -1", "Reshape", { target_shape: [-1, -1] }, [N, 2, 3], FormatError, /single unknown dimension/],
  ["Permute rank", "Permute", { dims: [2, 1] }, [N, 2, 3, 4], ShapeError, /expected ndim=3, found ndim=4/],
  ["Permute dims", "Permute", { dims: [1, 3] }, [N, 2, 3], FormatError, /consecutive and start from 1/],
  ["RepeatVector rank", "RepeatVector", { n: 2 }, [N, 2, 3], ShapeError, /expected ndim=2, found ndim=3/],
  ["RepeatVector n", "RepeatVector", { n: 0 }, [N, 2], FormatError, /'n' must be a positive integer/],
  [
    "Cropping1D too much",
    "Cropping1D",
    { cropping: [1, 1] },
    [N, 2, 3],
    ShapeError,
    /should be smaller than the corresponding spatial dimension/,
  ],
  [
    "Cropping2D too much",
    "Cropping2D",
    {
      cropping: [
        [0, 0],
        [3, 3],
      ],
    },
    [N, 8, 6, 3],
    ShapeError,
    /cropping/,
  ],
  ["Cropping2D negative", "Cropping2D", { cropping: -1 }, [N, 8, 6, 3], FormatError, /cropping/],
  ["Cropping3D rank", "Cropping3D", {}, [N, 8, 6, 3], ShapeError, /expected ndim=5, found ndim=4/],
  ["ZeroPadding2D rank", "ZeroPadding2D", {}, [N, 8, 3], ShapeError, /expected ndim=4, found ndim=3/],
  [
    "ZeroPadding2D malformed",
    "ZeroPadding2D",
    {
      padding: [
        [1, 2, 3],
        [1, 1],
      ],
    },
    [N, 8, 8, 3],
    FormatError,
    /padding/,
  ],
  ["UpSampling2D rank", "UpSampling2D", {}, [N, 8, 3], ShapeError, /expected ndim=4/],
  ["UpSampling1D size 0", "UpSampling1D", { size: 0 }, [N, 8, 3], FormatError, /size/],
];

describe("reshaping kinds: output shapes", () => {
  it.each(rows)("%s", (_label, className, config, input, output) => {
    expect(outputShape(className, config, input)).toEqual(output);
  });
});

describe("reshaping kinds: dtypes", () => {
  it.each(["Flatten", "Reshape", "Permute"])("%s keeps integer inputs and autocasts floats", (className) => {
    const config = className === "Reshape" ? { target_shape: [4, 2] } : className === "Permute" ? { dims: [2, 1] } : {};
    expect(runKind(className, config, spec([N, 2, 4], "int32")).outputs[0]!.dtype).toBe("int32");
    expect(runKind(className, config, spec([N, 2, 4], "float16")).outputs[0]!.dtype).toBe("float32");
    expect(runKind(className, { ...config, dtype: "mixed_float16" }, spec([N, 2, 4])).outputs[0]!.dtype).toBe(
      "float16",
    );
  });
  it("RepeatVector and UpSampling take the compute dtype", () => {
    expect(runKind("RepeatVector", { n: 2, dtype: "mixed_bfloat16" }, [N, 4]).outputs[0]!.dtype).toBe("bfloat16");
    expect(runKind("UpSampling1D", {}, spec([N, 4, 2], "int32")).outputs[0]!.dtype).toBe("float32");
  });
});

describe("reshaping kinds: errors", () => {
  it.each(errorRows)("%s", (_label, className, config, input, error, message) => {
    expect(() => runKind(className, config, input)).toThrow(error);
    expect(() => runKind(className, config, input)).toThrow(message);
  });
});

describe("reshaping kinds against Keras's single-layer fixtures", () => checkLayerFixtures(reshapingKinds));
