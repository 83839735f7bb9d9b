import type { LayerKind } from "../../ir/kind.js";
import type { CallContext } from "../../ir/kind.js";
import type { Dim, Shape } from "../../ir/shape.js";
import { convOutputLength, deconvOutputLength } from "../shape-arith.js";
import type { DataFormat } from "../shape-arith.js";
import { defineOp, defineOps, opt, pyRepr, pyTuple, tensorAt } from "./define-op.js";

/*
 * Pooling and convolution operations of keras/src/ops/nn.py (`keras.ops.max_pool(x, 2)`,
 * `keras.ops.conv(x, kernel)`): `compute_pooling_output_shape`, `compute_conv_output_shape` and
 * `compute_conv_transpose_output_shape`. They keep the input's dtype.
 */

function dataFormat(ctx: CallContext): DataFormat {
  const v = opt(ctx, "data_format");
  if (v === null || v === undefined || v === "channels_last") return "channels_last";
  if (v === "channels_first") return "channels_first";
  return ctx.fail(
    `expects \`data_format\` to be "channels_last" or "channels_first". Received: data_format=${pyRepr(v)}`,
  );
}

/** An int for every spatial dim, or a list of them. */
function perDim(ctx: CallContext, key: string, v: unknown, n: number): number[] {
  if (typeof v === "number") return Array<number>(n).fill(v);
  if (Array.isArray(v) && v.length === n && v.every((d) => typeof d === "number")) return v as number[];
  return ctx.fail(`expects \`${key}\` to be an int or a list of ${n} ints. Received: ${key}=${pyRepr(v)}`);
}

const split = (shape: Shape, f: DataFormat) =>
  f === "channels_last"
    ? { batch: shape[0]!, spatial: shape.slice(1, -1), channels: shape.at(-1)! }
    : { batch: shape[0]!, spatial: shape.slice(2), channels: shape[1]! };
const join = (batch: Dim, spatial: Dim[], channels: Dim, f: DataFormat): Shape =>
  f === "channels_last" ? [batch, ...spatial, channels] : [batch, channels, ...spatial];

function padding(ctx: CallContext, allowed: readonly string[]): "valid" | "same" | "causal" {
  const p = String(opt(ctx, "padding")).toLowerCase();
  if (!allowed.includes(p)) ctx.fail(`Argument \`padding\` must be either 'valid' or 'same'. Received: padding=${p}`);
  return p as "valid" | "same" | "causal";
}

const poolKinds = defineOps(
  {
    MaxPool: { strides: null, padding: "valid", data_format: null },
    AveragePool: { strides: null, padding: "valid", data_format: null },
  },
  (ctx) => {
    const x = tensorAt(ctx, 0, "inputs");
    const f = dataFormat(ctx);
    const { batch, spatial, channels } = split(x.shape, f);
    const pool = perDim(ctx, "pool_size", opt(ctx, "pool_size"), spatial.length);
    const stridesOpt = opt(ctx, "strides");
    const strides =
      stridesOpt === null || stridesOpt === undefined ? pool : perDim(ctx, "strides", stridesOpt, spatial.length);
    const pad = padding(ctx, ["valid", "same"]);
    const out = spatial.map((d, i) => convOutputLength(d, pool[i]!, strides[i]!, pad));
    if (out.some((d) => d !== null && d <= 0)) {
      ctx.fail(
        `Computed output size would be zero or negative. Received: \`inputs.shape=${pyTuple(x.shape)}\`, \`pool_size=${pyRepr(pool)}\`, ` +
          `\`strides=${pyRepr(strides)}\`, \`padding=${pad}\`.`,
      );
    }
    return { shape: join(batch, out, channels, f), dtype: x.dtype };
  },
);

/**
 * `adaptive_*_pool(inputs, output_size)`. channels_first: `(N, C, *output_size)`. channels_last: Keras's
 * symbolic rule is `inputs.shape[:-len(output_size)] + output_size + (C,)`, which keeps a spatial dim
 * ((N, H, W, C) -> (N, H, oh, ow, C)); we reproduce it, since later layers in a saved file were built on it.
 */
const adaptiveKinds = defineOps(
  { AdaptiveMaxPool: { data_format: null }, AdaptiveAveragePool: { data_format: null } },
  (ctx) => {
    const x = tensorAt(ctx, 0, "inputs");
    const f = dataFormat(ctx);
    const raw = opt(ctx, "output_size");
    if (!Array.isArray(raw))
      return ctx.fail(`expects \`output_size\` to be a tuple of ints. Received: output_size=${pyRepr(raw)}`);
    const size = perDim(ctx, "output_size", raw, raw.length);
    const shape =
      f === "channels_last"
        ? [...x.shape.slice(0, -size.length), ...size, x.shape.at(-1)!]
        : [x.shape[0]!, x.shape[1]!, ...size];
    return { shape, dtype: x.dtype };
  },
);

/** Conv kernels are `(*kernel_size, in_channels, out)`; ConvTranspose's `(*kernel_size, out, in_channels)`. */
function convShape(
  ctx: CallContext,
  filters: Dim,
  kernelSize: Dim[],
  inChannels: Dim,
  kernelShape: Shape,
  transpose = false,
): Shape {
  const x = tensorAt(ctx, 0, "inputs");
  const f = dataFormat(ctx);
  const { batch, spatial, channels } = split(x.shape, f);
  if (channels !== null && inChannels !== null && channels !== inChannels) {
    ctx.fail(
      `The number of input channels must match the kernel's input channels. Received: input channels=${channels}, kernel input channels=${inChannels}, data_format='${f}'.`,
    );
  }
  if (kernelSize.length !== spatial.length) {
    ctx.fail(
      `Kernel shape must have the same length as input, but received kernel of shape ${pyTuple(kernelShape)} and input of shape ${pyTuple(x.shape)}.`,
    );
  }
  const strides = perDim(ctx, "strides", opt(ctx, "strides"), spatial.length);
  const dilation = perDim(ctx, "dilation_rate", opt(ctx, "dilation_rate"), spatial.length);
  if (kernelSize.includes(null))
    ctx.fail(`needs a kernel of known spatial size. Received: kernel.shape=${pyTuple(kernelShape)}`);
  if (transpose) {
    const op = opt(ctx, "output_padding");
    const outPad = op === null || op === undefined ? null : perDim(ctx, "output_padding", op, spatial.length);
    const pad = padding(ctx, ["valid", "same"]) as "valid" | "same";
    const out = spatial.map((d, i) =>
      deconvOutputLength(d, kernelSize[i]!, strides[i]!, pad, outPad?.[i] ?? null, dilation[i]!),
    );
    return join(batch, out, filters, f);
  }
  const pad = padding(ctx, ["valid", "same", "causal"]);
  const out = spatial.map((d, i) => convOutputLength(d, kernelSize[i]!, strides[i]!, pad, dilation[i]!));
  if (out.some((d) => d !== null && d <= 0)) {
    ctx.fail(
      `Computed output size would be zero or negative. Received \`inputs shape=${pyTuple(x.shape)}\`, \`kernel shape=${pyTuple(kernelShape)}\`, ` +
        `\`dilation_rate=${pyRepr(dilation)}\`, \`strides=${pyRepr(strides)}\`, \`padding=${pad}\`.`,
    );
  }
  return join(batch, out, filters, f);
}

const CONV = { strides: 1, padding: "valid", data_format: null, dilation_rate: 1 };

const convKinds = [
  defineOp("Conv", CONV, (ctx) => {
    const k = tensorAt(ctx, 1, "kernel").shape;
    return { shape: convShape(ctx, k.at(-1)!, k.slice(0, -2), k.at(-2)!, k), dtype: tensorAt(ctx, 0, "inputs").dtype };
  }),
  defineOp("DepthwiseConv", CONV, (ctx) => {
    const k = tensorAt(ctx, 1, "kernel").shape;
    const [a, b] = [k.at(-2)!, k.at(-1)!];
    return {
      shape: convShape(ctx, a === null || b === null ? null : a * b, k.slice(0, -2), a, k),
      dtype: tensorAt(ctx, 0, "inputs").dtype,
    };
  }),
  defineOp("SeparableConv", CONV, (ctx) => {
    const k = tensorAt(ctx, 1, "depthwise_kernel").shape;
    const p = tensorAt(ctx, 2, "pointwise_kernel").shape;
    return { shape: convShape(ctx, p.at(-1)!, k.slice(0, -2), k.at(-2)!, k), dtype: tensorAt(ctx, 0, "inputs").dtype };
  }),
  defineOp("ConvTranspose", { ...CONV, output_padding: null }, (ctx) => {
    const k = tensorAt(ctx, 1, "kernel").shape;
    return {
      shape: convShape(ctx, k.at(-2)!, k.slice(0, -2), k.at(-1)!, k, true),
      dtype: tensorAt(ctx, 0, "inputs").dtype,
    };
  }),
];

export const nnConvKinds: LayerKind[] = [...poolKinds, ...adaptiveKinds, ...convKinds];
