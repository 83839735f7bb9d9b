import type { LayerConfig } from "../../../ir/config.js";
import type { CallContext } from "../../../ir/kind.js";
import { compatConfig } from "../../../layers/config-compat.js";
import { emitActivation } from "../activation.js";
import { type Attributes, attr } from "../builder.js";
import type { EmitContext, Emitter } from "../emitter.js";
import { channelsFirstRegion, isChannelsFirst, spatialAxes } from "./layout.js";

/** A layer config with Keras 1's hyperparameter names translated (`nb_filter`, `border_mode`, ...). */
export function convConfig(ctx: EmitContext): LayerConfig {
  return compatConfig(ctx as unknown as CallContext);
}

export function tupleOf(c: LayerConfig, key: string, n: number, fallback: number): number[] {
  const v = c.get(key);
  if (v === null || v === undefined) return Array<number>(n).fill(fallback);
  return c.tuple(key, n);
}

/**
 * Keras's "same" padding (TF's; the torch backend pads the same way): total = max(0, (ceil(n/s)-1)*s +
 * (k-1)*d + 1 - n), the smaller half before. Unknown sizes fall back to auto_pad SAME_UPPER, which is
 * the same rule.
 */
export function samePads(
  sizes: (number | null)[],
  kernel: number[],
  strides: number[],
  dilation: number[],
): number[] | null {
  if (sizes.some((n) => n === null)) return null;
  const begin: number[] = [];
  const end: number[] = [];
  sizes.forEach((n, i) => {
    const k = (kernel[i]! - 1) * dilation[i]! + 1;
    const out = Math.ceil(n! / strides[i]!);
    const total = Math.max(0, (out - 1) * strides[i]! + k - n!);
    begin.push(Math.floor(total / 2));
    end.push(total - Math.floor(total / 2));
  });
  return [...begin, ...end];
}

/** The `pads` / `auto_pad` attributes of a Conv or pool for Keras's padding mode. */
export function padAttributes(
  padding: string,
  sizes: (number | null)[],
  kernel: number[],
  strides: number[],
  dilation: number[],
): Attributes {
  const r = kernel.length;
  if (padding === "valid") return { pads: attr.ints(Array<number>(2 * r).fill(0)) };
  if (padding === "causal") {
    return { pads: attr.ints([...kernel.map((k, i) => (k - 1) * dilation[i]!), ...Array<number>(r).fill(0)]) };
  }
  const pads = samePads(sizes, kernel, strides, dilation);
  return pads ? { pads: attr.ints(pads) } : { auto_pad: attr.s("SAME_UPPER") };
}

/**
 * Keras kernel (k..., in/groups, out) → ONNX Conv weight (out, in/groups, k...); for ConvTranspose,
 * (k..., out, in) → (in, out, k...), the same swap.
 */
export function convWeight(ctx: EmitContext, name: string, r: number): string {
  return ctx.weightParam(name, name, { perm: [r + 1, r, ...Array.from({ length: r }, (_, i) => i)] });
}

/** Keras depthwise kernel (k..., in, multiplier) → ONNX grouped Conv weight (in*multiplier, 1, k...). */
function depthwiseWeight(ctx: EmitContext, key: string, name: string, r: number): string {
  const shape = ctx.weight(name).shape;
  const perm = [r, r + 1, ...Array.from({ length: r }, (_, i) => i)];
  return ctx.weightParam(key, name, { perm, dims: [shape[r]! * shape[r + 1]!, 1, ...shape.slice(0, r)] });
}

interface ConvGeometry {
  c: LayerConfig;
  r: number;
  cf: boolean;
  kernel: number[];
  strides: number[];
  dilation: number[];
  padding: string;
  sizes: (number | null)[];
}

function geometry(ctx: EmitContext, r: number): ConvGeometry {
  const c = convConfig(ctx);
  const cf = isChannelsFirst(c);
  const x = ctx.inputs[0]!;
  return {
    c,
    r,
    cf,
    kernel: c.tuple("kernel_size", r),
    strides: tupleOf(c, "strides", r, 1),
    dilation: tupleOf(c, "dilation_rate", r, 1),
    padding: String(c.get("padding") ?? "valid").toLowerCase(),
    sizes: spatialAxes(r + 2, cf).map((a) => x.shape[a] ?? null),
  };
}

function convAttributes(geo: ConvGeometry, group: number): Attributes {
  return {
    kernel_shape: attr.ints(geo.kernel),
    strides: attr.ints(geo.strides),
    dilations: attr.ints(geo.dilation),
    group: attr.i(group),
    ...padAttributes(geo.padding, geo.sizes, geo.kernel, geo.strides, geo.dilation),
  };
}

function bias(ctx: EmitContext): string[] {
  return ctx.config.get("use_bias") !== false && ctx.hasWeight("bias") ? [ctx.weightParam("bias", "bias")] : [];
}

/** `Conv1D/2D/3D` (BaseConv): one grouped ONNX Conv in a channels-first region, then the activation. */
const conv =
  (r: number): Emitter =>
  (ctx) => {
    const geo = geometry(ctx, r);
    const w = convWeight(ctx, "kernel", r);
    const groups = Number(geo.c.get("groups") ?? 1);
    const y = channelsFirstRegion(ctx.g, ctx.inputs[0]!.name, r + 2, geo.cf, (x) =>
      ctx.g.op("Conv", [x, w, ...bias(ctx)], convAttributes(geo, groups)),
    );
    return [emitActivation(ctx.g, geo.c.get("activation"), y, ctx.where)];
  };

/** `DepthwiseConv1D/2D`: Conv with group = input channels. */
const depthwise =
  (r: number): Emitter =>
  (ctx) => {
    const geo = geometry(ctx, r);
    const w = depthwiseWeight(
      ctx,
      "depthwise_kernel",
      ctx.hasWeight("depthwise_kernel") ? "depthwise_kernel" : "kernel",
      r,
    );
    const channels = ctx.inputs[0]!.shape[geo.cf ? 1 : r + 1]!;
    const y = channelsFirstRegion(ctx.g, ctx.inputs[0]!.name, r + 2, geo.cf, (x) =>
      ctx.g.op("Conv", [x, w, ...bias(ctx)], convAttributes(geo, channels)),
    );
    return [emitActivation(ctx.g, geo.c.get("activation"), y, ctx.where)];
  };

/** `SeparableConv1D/2D`: the depthwise Conv (strided, padded), then a 1×1 pointwise Conv with the bias. */
const separable =
  (r: number): Emitter =>
  (ctx) => {
    const geo = geometry(ctx, r);
    const dw = depthwiseWeight(ctx, "depthwise_kernel", "depthwise_kernel", r);
    const pw = convWeight(ctx, "pointwise_kernel", r);
    const channels = ctx.inputs[0]!.shape[geo.cf ? 1 : r + 1]!;
    const ones = Array<number>(r).fill(1);
    const y = channelsFirstRegion(ctx.g, ctx.inputs[0]!.name, r + 2, geo.cf, (x) => {
      const d = ctx.g.op("Conv", [x, dw], convAttributes(geo, channels));
      return ctx.g.op("Conv", [d, pw, ...bias(ctx)], {
        kernel_shape: attr.ints(ones),
        strides: attr.ints(ones),
        pads: attr.ints(Array<number>(2 * r).fill(0)),
      });
    });
    return [emitActivation(ctx.g, geo.c.get("activation"), y, ctx.where)];
  };

/**
 * `Conv1D/2D/3DTranspose`: ConvTranspose with the torch backend's padding rule
 * (`_convert_conv_transpose_padding_args_from_keras_to_torch`): symmetric pads and output_padding on the right.
 */
const convTranspose =
  (r: number): Emitter =>
  (ctx) => {
    const geo = geometry(ctx, r);
    const w = convWeight(ctx, "kernel", r);
    const given = geo.c.get("output_padding");
    const outPad = given === null || given === undefined ? null : geo.c.tuple("output_padding", r);
    const pads: number[] = [];
    const outputPadding: number[] = [];
    geo.kernel.forEach((k0, i) => {
      const k = (k0 - 1) * geo.dilation[i]! + 1;
      const s = geo.strides[i]!;
      if (geo.padding === "valid") {
        pads.push(0);
        outputPadding.push(Math.min(outPad ? outPad[i]! : Math.max(k, s) - k, s - 1));
      } else {
        const op = outPad ? outPad[i]! : s - (k % 2);
        const p = Math.max(-Math.floor(((k % 2) - k + op) / 2), 0);
        pads.push(p);
        outputPadding.push(Math.min(2 * p + (k % 2) - k + op, s - 1));
      }
    });
    const y = channelsFirstRegion(ctx.g, ctx.inputs[0]!.name, r + 2, geo.cf, (x) =>
      ctx.g.op("ConvTranspose", [x, w, ...bias(ctx)], {
        kernel_shape: attr.ints(geo.kernel),
        strides: attr.ints(geo.strides),
        dilations: attr.ints(geo.dilation),
        pads: attr.ints([...pads, ...pads]),
        output_padding: outputPadding.some((v) => v !== 0) ? attr.ints(outputPadding) : undefined,
      }),
    );
    return [emitActivation(ctx.g, geo.c.get("activation"), y, ctx.where)];
  };

export const convEmitters: Record<string, Emitter> = {
  Conv1D: conv(1),
  Conv2D: conv(2),
  Conv3D: conv(3),
  Conv1DTranspose: convTranspose(1),
  Conv2DTranspose: convTranspose(2),
  Conv3DTranspose: convTranspose(3),
  DepthwiseConv1D: depthwise(1),
  DepthwiseConv2D: depthwise(2),
  SeparableConv1D: separable(1),
  SeparableConv2D: separable(2),
};
