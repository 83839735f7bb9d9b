import type { LayerConfig } from "../ir/config.js";
import type { Dim, Shape } from "../ir/shape.js";

/**
 * The output-length arithmetic Keras shares between convolutions, transposed convolutions and pooling
 * (`compute_conv_output_shape`, `compute_pooling_output_shape` in keras/src/ops/operation_utils.py and
 * `compute_conv_transpose_output_shape` in keras/src/backend/common/backend_utils.py), one spatial
 * dimension at a time. An unknown length stays unknown.
 */

export type DataFormat = "channels_last" | "channels_first";
export type Padding = "valid" | "same" | "causal";

/** Keras's `standardize_data_format`: null means the global default, "channels_last". */
export function readDataFormat(config: LayerConfig, key = "data_format"): DataFormat {
  if (config.get(key) == null) return "channels_last";
  return config.oneOf(key, ["channels_last", "channels_first"] as const);
}

/** `floor((n - dilation * (k - 1) - 1) / s) + 1` for "valid"; `floor((n - 1) / s) + 1` for "same"/"causal". */
export function convOutputLength(length: Dim, kernel: number, stride: number, padding: Padding, dilation = 1): Dim {
  if (length === null) return null;
  if (padding === "valid") return Math.floor((length - dilation * (kernel - 1) - 1) / stride) + 1;
  return Math.floor((length - 1) / stride) + 1;
}

/** Pooling is a convolution with dilation 1: `floor((n - pool) / s) + 1` ("valid"), `floor((n - 1) / s) + 1` ("same"). */
export function poolOutputLength(length: Dim, pool: number, stride: number, padding: "valid" | "same"): Dim {
  return convOutputLength(length, pool, stride, padding, 1);
}

/**
 * `_get_output_shape_given_tf_padding` with the dilated kernel `k' = (k - 1) * d + 1`:
 * "valid": `(n - 1) * s + k' + (output_padding ?? max(k', s) - k')`;
 * "same": `n * s` without output_padding, else `(n - 1) * s + k' % 2 + output_padding`.
 */
export function deconvOutputLength(
  length: Dim,
  kernel: number,
  stride: number,
  padding: "valid" | "same",
  outputPadding: number | null,
  dilation = 1,
): Dim {
  if (length === null) return null;
  const k = (kernel - 1) * dilation + 1;
  if (padding === "valid") return (length - 1) * stride + k + (outputPadding ?? Math.max(k, stride) - k);
  if (outputPadding === null) return length * stride;
  return (length - 1) * stride + (k % 2) + outputPadding;
}

/** The spatial dimensions of a batched shape: `(N, *spatial, C)` or `(N, C, *spatial)`. */
export function spatialDims(shape: Shape, format: DataFormat): Dim[] {
  return format === "channels_last" ? shape.slice(1, -1) : shape.slice(2);
}

/** The channel dimension of a batched shape. */
export function channelDim(shape: Shape, format: DataFormat): Dim {
  return (format === "channels_last" ? shape[shape.length - 1] : shape[1]) ?? null;
}

/** Builds `(batch, *spatial, channels)` or `(batch, channels, *spatial)`. */
export function withSpatial(batch: Dim, spatial: Dim[], channels: Dim, format: DataFormat): Shape {
  return format === "channels_last" ? [batch, ...spatial, channels] : [batch, channels, ...spatial];
}

/** The shape with each spatial dimension `d` (the i-th) replaced by `fn(d, i)`; batch and channels kept. */
export function mapSpatial(shape: Shape, format: DataFormat, fn: (d: Dim, i: number) => Dim): Shape {
  const first = format === "channels_last" ? 1 : 2;
  const last = format === "channels_last" ? shape.length - 1 : shape.length;
  return shape.map((d, j) => (j >= first && j < last ? fn(d, j - first) : d));
}
