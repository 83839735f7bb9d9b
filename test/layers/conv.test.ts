/**
 * Convolution kinds beyond what the fixtures record. Expected shapes come from Keras's formulas:
 * - conv (keras/src/ops/operation_utils.py `compute_conv_output_shape`): "valid":
 *   floor((n - d*(k-1) - 1) / s) + 1; "same"/"causal": floor((n - 1) / s) + 1.
 * - transposed conv (keras/src/backend/common/backend_utils.py `_get_output_shape_given_tf_padding`),
 *   k' = (k-1)*d + 1: "valid": (n-1)*s + k' + (op ?? max(k', s) - k'); "same": n*s, or with
 *   output_padding (n-1)*s + k' % 2 + op.
 * - kernels (base_conv.py & co): Conv k + (c/groups, f); ConvTranspose k + (f, c); Depthwise k + (c, m);
 *   Separable depthwise k + (c, m), pointwise (1,)*rank + (m*c, f).
 */
import { describe, expect, it } from "vitest";
import { FormatError, ShapeError } from "../../src/ir/errors.js";
import type { Shape } from "../../src/ir/shape.js";
import { convKinds } from "../../src/layers/conv/index.js";
import { checkLayerFixtures, outputShape, runKind, weightShapes } from "./run-kind.js";

type Row = [label: string, className: string, config: Record<string, unknown>, input: Shape, output: Shape];

const N = null;
const rows: Row[] = [
  // floor((32 - 2 - 1) / 2) + 1 = 15
  ["Conv2D valid strides 2", "Conv2D", { filters: 8, kernel_size: 3, strides: 2 }, [N, 32, 32, 3], [N, 15, 15, 8]],
  // floor((33 - 1) / 2) + 1 = 17
  [
    "Conv2D same strides 2",
    "Conv2D",
    { filters: 8, kernel_size: 3, strides: 2, padding: "same" },
    [N, 33, 33, 3],
    [N, 17, 17, 8],
  ],
  // floor((10 - 2*2 - 1) / 1) + 1 = 6; floor((12 - 5) / 1) + 1 = 8
  ["Conv2D dilation 2", "Conv2D", { filters: 4, kernel_size: [3, 3], dilation_rate: 2 }, [N, 10, 12, 3], [N, 6, 8, 4]],
  // same with dilation: floor((10 - 1) / 1) + 1 = 10
  [
    "Conv2D same dilation",
    "Conv2D",
    { filters: 4, kernel_size: 3, dilation_rate: [2, 3], padding: "same" },
    [N, 10, 7, 3],
    [N, 10, 7, 4],
  ],
  [
    "Conv2D channels_first",
    "Conv2D",
    { filters: 8, kernel_size: 3, data_format: "channels_first" },
    [N, 3, 32, 30],
    [N, 8, 30, 28],
  ],
  ["Conv2D unknown spatial", "Conv2D", { filters: 8, kernel_size: 3, strides: 2 }, [N, N, 32, 3], [N, N, 15, 8]],
  ["Conv2D known batch", "Conv2D", { filters: 8, kernel_size: 1 }, [4, 5, 5, 3], [4, 5, 5, 8]],
  // causal: floor((10 - 1) / 2) + 1 = 5
  [
    "Conv1D causal strides 2",
    "Conv1D",
    { filters: 5, kernel_size: 3, strides: 2, padding: "causal" },
    [N, 10, 4],
    [N, 5, 5],
  ],
  ["Conv1D unknown steps", "Conv1D", { filters: 5, kernel_size: 3 }, [N, N, 4], [N, N, 5]],
  [
    "Conv1D channels_first",
    "Conv1D",
    { filters: 5, kernel_size: 3, data_format: "channels_first" },
    [N, 4, 10],
    [N, 5, 8],
  ],
  // d: floor((8 - 1 - 1) / 1) + 1 = 7; h: floor((9 - 2 - 1) / 2) + 1 = 4; w: floor((10 - 3 - 1) / 3) + 1 = 3
  [
    "Conv3D per-axis strides",
    "Conv3D",
    { filters: 4, kernel_size: [2, 3, 4], strides: [1, 2, 3] },
    [N, 8, 9, 10, 2],
    [N, 7, 4, 3, 4],
  ],
  [
    "Conv3D channels_first same",
    "Conv3D",
    { filters: 4, kernel_size: 3, strides: 2, padding: "same", data_format: "channels_first" },
    [N, 2, 8, 9, 10],
    [N, 4, 4, 5, 5],
  ],
  // Keras 1 Convolution2D: nb_filter/nb_row/nb_col, border_mode, subsample, dim_ordering "th"
  [
    "Keras 1 Convolution2D",
    "Convolution2D",
    { nb_filter: 16, nb_row: 3, nb_col: 3, border_mode: "same", subsample: [2, 2], dim_ordering: "th" },
    [N, 3, 32, 32],
    [N, 16, 16, 16],
  ],
  [
    "Keras 1 Convolution1D",
    "Convolution1D",
    { nb_filter: 6, filter_length: 5, border_mode: "valid", subsample_length: 1 },
    [N, 20, 3],
    [N, 16, 6],
  ],
  [
    "Keras 1 AtrousConvolution2D",
    "AtrousConvolution2D",
    { nb_filter: 2, nb_row: 3, nb_col: 3, atrous_rate: [2, 2], dim_ordering: "tf" },
    [N, 9, 9, 1],
    [N, 5, 5, 2],
  ],
  // valid: (5-1)*2 + 3 + (max(3, 2) - 3) = 11
  [
    "Conv2DTranspose valid s2",
    "Conv2DTranspose",
    { filters: 4, kernel_size: 3, strides: 2 },
    [N, 5, 5, 3],
    [N, 11, 11, 4],
  ],
  // same: 5*2 = 10
  [
    "Conv2DTranspose same s2",
    "Conv2DTranspose",
    { filters: 4, kernel_size: 3, strides: 2, padding: "same" },
    [N, 5, 5, 3],
    [N, 10, 10, 4],
  ],
  // valid, k < s: (5-1)*3 + 2 + (3 - 2) = 15
  [
    "Conv2DTranspose valid k<s",
    "Conv2DTranspose",
    { filters: 4, kernel_size: 2, strides: 3 },
    [N, 5, 5, 3],
    [N, 15, 15, 4],
  ],
  // same + output_padding: (5-1)*2 + 3%2 + 1 = 10; k=4: (5-1)*2 + 0 + 1 = 9
  [
    "Conv2DTranspose same output_padding",
    "Conv2DTranspose",
    { filters: 4, kernel_size: [3, 4], strides: 2, padding: "same", output_padding: 1 },
    [N, 5, 5, 3],
    [N, 10, 9, 4],
  ],
  // valid + output_padding: (5-1)*2 + 3 + 1 = 12
  [
    "Conv2DTranspose valid output_padding",
    "Conv2DTranspose",
    { filters: 4, kernel_size: 3, strides: 2, output_padding: [1, 0] },
    [N, 5, 5, 3],
    [N, 12, 11, 4],
  ],
  // dilation 2, k'=5: (5-1)*1 + 5 + 0 = 9
  [
    "Conv2DTranspose dilation",
    "Conv2DTranspose",
    { filters: 4, kernel_size: 3, dilation_rate: 2 },
    [N, 5, 5, 3],
    [N, 9, 9, 4],
  ],
  [
    "Conv1DTranspose channels_first",
    "Conv1DTranspose",
    { filters: 2, kernel_size: 3, data_format: "channels_first" },
    [N, 3, 7],
    [N, 2, 9],
  ],
  ["Conv3DTranspose unknown dim", "Conv3DTranspose", { filters: 2, kernel_size: 3 }, [N, N, 4, 4, 2], [N, N, 6, 6, 2]],
  ["Deconvolution2D alias", "Deconvolution2D", { filters: 2, kernel_size: 2, strides: 2 }, [N, 4, 4, 2], [N, 8, 8, 2]],
  // Keras 1 Deconvolution2D states its output_shape
  [
    "Keras 1 Deconvolution2D",
    "Deconvolution2D",
    {
      nb_filter: 8,
      nb_row: 3,
      nb_col: 3,
      output_shape: [N, 14, 14, 8],
      subsample: [2, 2],
      border_mode: "valid",
      dim_ordering: "tf",
    },
    [N, 6, 6, 3],
    [N, 14, 14, 8],
  ],
  [
    "DepthwiseConv2D multiplier 2",
    "DepthwiseConv2D",
    { kernel_size: 3, depth_multiplier: 2 },
    [N, 10, 10, 4],
    [N, 8, 8, 8],
  ],
  // same: floor((9 - 1) / 2) + 1 = 5
  [
    "DepthwiseConv1D channels_first same",
    "DepthwiseConv1D",
    { kernel_size: 3, strides: 2, padding: "same", data_format: "channels_first" },
    [N, 4, 9],
    [N, 4, 5],
  ],
  // dilation 2: floor((9 - 4 - 1)/1) + 1 = 5
  ["DepthwiseConv2D dilation", "DepthwiseConv2D", { kernel_size: 3, dilation_rate: 2 }, [N, 9, 9, 3], [N, 5, 5, 3]],
  [
    "SeparableConv2D same",
    "SeparableConv2D",
    { filters: 16, kernel_size: 3, depth_multiplier: 2, padding: "same" },
    [N, 12, 12, 8],
    [N, 12, 12, 16],
  ],
  // floor((12 - 3) / 2) + 1 = 5
  ["SeparableConv1D strides 2", "SeparableConv1D", { filters: 4, kernel_size: 3, strides: 2 }, [N, 12, 3], [N, 5, 4]],
  [
    "SeparableConvolution2D alias",
    "SeparableConvolution2D",
    { filters: 4, kernel_size: 3 },
    [N, 5, 5, 3],
    [N, 3, 3, 4],
  ],
];

type WeightRow = [
  label: string,
  className: string,
  config: Record<string, unknown>,
  input: Shape,
  weights: [string, number[]][],
];
const weightRows: WeightRow[] = [
  [
    "Conv2D",
    "Conv2D",
    { filters: 8, kernel_size: 3 },
    [N, 9, 9, 3],
    [
      ["kernel", [3, 3, 3, 8]],
      ["bias", [8]],
    ],
  ],
  [
    "Conv2D groups",
    "Conv2D",
    { filters: 6, kernel_size: 3, groups: 2 },
    [N, 9, 9, 4],
    [
      ["kernel", [3, 3, 2, 6]],
      ["bias", [6]],
    ],
  ],
  [
    "Conv2D no bias",
    "Conv2D",
    { filters: 8, kernel_size: 3, use_bias: false },
    [N, 9, 9, 3],
    [["kernel", [3, 3, 3, 8]]],
  ],
  [
    "Conv2D channels_first",
    "Conv2D",
    { filters: 8, kernel_size: [1, 2], data_format: "channels_first" },
    [N, 5, 9, 9],
    [
      ["kernel", [1, 2, 5, 8]],
      ["bias", [8]],
    ],
  ],
  [
    "Conv1D lora",
    "Conv1D",
    { filters: 8, kernel_size: 3, lora_rank: 2 },
    [N, 9, 4],
    [
      ["kernel", [3, 4, 8]],
      ["bias", [8]],
      ["lora_kernel_a", [3, 4, 2]],
      ["lora_kernel_b", [2, 8]],
    ],
  ],
  [
    "Conv3DTranspose",
    "Conv3DTranspose",
    { filters: 4, kernel_size: 2 },
    [N, 3, 3, 3, 6],
    [
      ["kernel", [2, 2, 2, 4, 6]],
      ["bias", [4]],
    ],
  ],
  [
    "DepthwiseConv2D",
    "DepthwiseConv2D",
    { kernel_size: 3, depth_multiplier: 2 },
    [N, 9, 9, 4],
    [
      ["kernel", [3, 3, 4, 2]],
      ["bias", [8]],
    ],
  ],
  [
    "SeparableConv2D",
    "SeparableConv2D",
    { filters: 16, kernel_size: 3, depth_multiplier: 2 },
    [N, 9, 9, 8],
    [
      ["depthwise_kernel", [3, 3, 8, 2]],
      ["pointwise_kernel", [1, 1, 16, 16]],
      ["bias", [16]],
    ],
  ],
  [
    "SeparableConv1D no bias",
    "SeparableConv1D",
    { filters: 4, kernel_size: 3, use_bias: false },
    [N, 9, 3],
    [
      ["depthwise_kernel", [3, 3, 1]],
      ["pointwise_kernel", [1, 3, 4]],
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
    "rank too low",
    "Conv2D",
    { filters: 2, kernel_size: 3 },
    [N, 5, 3],
    ShapeError,
    /Conv2D 'layer'.*expected min_ndim=4, found ndim=3/,
  ],
  ["rank too high", "Conv1D", { filters: 2, kernel_size: 3 }, [N, 5, 5, 3], ShapeError, /Conv1D 'layer'.*rank 3/],
  [
    "output would be empty",
    "Conv2D",
    { filters: 2, kernel_size: 3 },
    [N, 2, 2, 3],
    ShapeError,
    /zero or negative.*\(None, 2, 2, 3\)/,
  ],
  [
    "unknown channels",
    "Conv2D",
    { filters: 2, kernel_size: 3 },
    [N, 5, 5, N],
    ShapeError,
    /channel dimension of the inputs should be defined/,
  ],
  [
    "channels not divisible by groups",
    "Conv2D",
    { filters: 4, kernel_size: 3, groups: 2 },
    [N, 5, 5, 3],
    ShapeError,
    /evenly divisible.*groups=2.*3 channels/,
  ],
  [
    "filters not divisible by groups",
    "Conv2D",
    { filters: 3, kernel_size: 3, groups: 2 },
    [N, 5, 5, 4],
    FormatError,
    /filters must be evenly divisible.*filters=3/,
  ],
  [
    "strides with dilation",
    "Conv2D",
    { filters: 3, kernel_size: 3, strides: 2, dilation_rate: 2 },
    [N, 9, 9, 4],
    FormatError,
    /strides > 1.*dilation_rate > 1/,
  ],
  [
    "causal is Conv1D only",
    "Conv2D",
    { filters: 3, kernel_size: 3, padding: "causal" },
    [N, 9, 9, 4],
    FormatError,
    /padding/,
  ],
  ["zero kernel", "Conv2D", { filters: 3, kernel_size: [0, 3] }, [N, 9, 9, 4], FormatError, /kernel_size.*value > 0/],
  ["zero filters", "Conv2D", { filters: 0, kernel_size: 3 }, [N, 9, 9, 4], FormatError, /filters.*positive/],
  [
    "output_padding >= strides",
    "Conv2DTranspose",
    { filters: 3, kernel_size: 3, strides: 2, output_padding: 2 },
    [N, 9, 9, 4],
    FormatError,
    /output_padding.*strictly less than.*strides/,
  ],
  ["separable rank", "SeparableConv2D", { filters: 3, kernel_size: 3 }, [N, 9, 4], ShapeError, /expected min_ndim=4/],
  ["depthwise empty output", "DepthwiseConv1D", { kernel_size: 5 }, [N, 4, 4], ShapeError, /zero or negative/],
];

describe("conv kinds: output shapes", () => {
  it.each(rows)("%s", (_label, className, config, input, output) => {
    expect(outputShape(className, config, input)).toEqual(output);
  });
});

describe("conv kinds: weights", () => {
  it.each(weightRows)("%s", (_label, className, config, input, weights) => {
    expect(weightShapes(className, config, input)).toEqual(weights);
  });
  it("LoRA leaves the kernel non-trainable and the adapters float32", () => {
    const { weights } = runKind("Conv2D", { filters: 4, kernel_size: 1, lora_rank: 2, dtype: "mixed_float16" }, [
      N,
      3,
      3,
      2,
    ]);
    expect(weights.map((w) => [w.name, w.trainable, w.dtype])).toEqual([
      ["kernel", false, "float32"],
      ["bias", true, "float32"],
      ["lora_kernel_a", true, "float32"],
      ["lora_kernel_b", true, "float32"],
    ]);
  });
  it("outputs take the compute dtype", () => {
    const { outputs } = runKind("Conv2D", { filters: 4, kernel_size: 1, dtype: "mixed_float16" }, [N, 3, 3, 2]);
    expect(outputs[0]!.dtype).toBe("float16");
  });
});

describe("conv kinds: errors", () => {
  it.each(errorRows)("%s", (_label, className, config, input, error, message) => {
    expect(() => runKind(className, config, input)).toThrow(error);
    expect(() => runKind(className, config, input)).toThrow(message);
  });
});

describe("conv kinds: Keras's aliases", () => {
  it.each([
    ["Convolution3D", "Conv3D"],
    ["Convolution1DTranspose", "Conv1DTranspose"],
    ["Convolution2DTranspose", "Conv2DTranspose"],
    ["Deconvolution3D", "Conv3DTranspose"],
    ["SeparableConvolution1D", "SeparableConv1D"],
  ])("%s is %s", (alias, className) => {
    expect(convKinds.find((k) => k.className === className)?.aliases).toContain(alias);
  });
});

describe("conv kinds against Keras's single-layer fixtures", () => checkLayerFixtures(convKinds));
