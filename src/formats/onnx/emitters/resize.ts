import { attr } from "../builder.js";
import type { OnnxBuilder } from "../builder.js";
import type { EmitContext, Emitter } from "../emitter.js";
import { onnxDataType } from "../model.js";
import { isChannelsFirst } from "./layout.js";

const INT64 = 7;
const FLOAT = 1;

/*
 * Keras's image resize as its torch backend computes it (`keras/src/backend/torch/image.py`, the backend
 * the fixtures were made with): the image axes cropped or padded to the target's aspect ratio, then
 * `F.interpolate(size=(height, width), align_corners=False)`. The crop / pad box depends on the image
 * size, so it is computed in the graph from the value's shape.
 */

/** `int(float(a * target) / otherTarget)` clamped as Keras's crop does: `max(min(size, ·), 1)`. */
export function aspectCropLength(g: OnnxBuilder, size: string, other: string, target: number, otherTarget: number) {
  return g.op("Max", [g.op("Min", [aspectLength(g, other, target, otherTarget), size]), g.int64s([1], [])]);
}

/** `int(float(other * target) / otherTarget)`, in int64 (the lengths Keras's crop and pad start from). */
function aspectLength(g: OnnxBuilder, other: string, target: number, otherTarget: number): string {
  const scaled = g.op("Div", [
    g.op("Cast", [g.op("Mul", [other, g.int64s([target], [])])], { to: attr.i(FLOAT) }),
    g.float32s([otherTarget]),
  ]);
  return g.op("Cast", [scaled], { to: attr.i(INT64) });
}

/** `int(float(v) / 2)` of a non-negative int64 scalar. */
export function halfOf(g: OnnxBuilder, v: string): string {
  return g.op("Div", [v, g.int64s([2], [])]);
}

/** Dim `axis` of `x` as an int64 scalar. */
export function dimOf(g: OnnxBuilder, x: string, axis: number): string {
  return g.op("Gather", [g.op("Shape", [x]), g.int64s([axis], [])], { axis: attr.i(0) });
}

/** Two int64 scalars as a 1-D pair. */
export function pairOf(g: OnnxBuilder, a: string, b: string): string {
  return g.op("Concat", [g.unsqueeze(a, [0]), g.unsqueeze(b, [0])], { axis: attr.i(0) });
}

/** `crop_to_aspect_ratio`: the largest centered window of the target's aspect ratio (NCHW). */
function cropToAspect(g: OnnxBuilder, x: string, height: number, width: number): string {
  const H = dimOf(g, x, 2);
  const W = dimOf(g, x, 3);
  const lengths = pairOf(g, aspectCropLength(g, H, W, height, width), aspectCropLength(g, W, H, width, height));
  const starts = halfOf(g, g.op("Sub", [pairOf(g, H, W), lengths]));
  return g.op("Slice", [x, starts, g.op("Add", [starts, lengths]), g.int64s([2, 3])]);
}

/**
 * `pad_to_aspect_ratio`: `fill_value` bands of `int((max(size, int(other·target/otherTarget)) - size) / 2)`
 * on both sides of the short axis (NCHW), as Keras concatenates them.
 */
function padToAspect(g: OnnxBuilder, x: string, height: number, width: number, fill: number): string {
  const H = dimOf(g, x, 2);
  const W = dimOf(g, x, 3);
  const band = (size: string, other: string, target: number, otherTarget: number) =>
    halfOf(g, g.op("Sub", [g.op("Max", [size, aspectLength(g, other, target, otherTarget)]), size]));
  const bands = pairOf(g, band(H, W, height, width), band(W, H, width, height));
  const pads = g.op("Concat", [g.int64s([0, 0]), bands, g.int64s([0, 0]), bands], { axis: attr.i(0) });
  return g.op("Pad", [x, pads, g.float32s([fill])], { mode: attr.s("constant") });
}

export type Interpolation = "bilinear" | "nearest" | "bicubic";

/**
 * `F.interpolate(x, size, mode, align_corners=False, antialias)` of an NCHW float value as ONNX Resize:
 * bilinear is linear / half_pixel (torch clamps negative source coordinates to 0, as onnxruntime does);
 * "nearest" is torch's nearest-exact, `floor((i + 0.5) · in/out)`, which is half_pixel rounding halves up;
 * bicubic is cubic / half_pixel with torch's a = -0.75 and edge-clamped taps. With antialias, torch
 * filters like PIL (a stretched triangle, or Keys' cubic with a = -0.5, weights renormalized inside the
 * image): Resize's antialias (opset 18) with the same kernel, taps outside the image excluded.
 */
export function interpolate(
  ctx: EmitContext,
  x: string,
  size: [number, number],
  interpolation: Interpolation,
  antialias: boolean,
): string {
  const { g } = ctx;
  const aa = antialias && interpolation !== "nearest";
  if (aa && g.opset < 18)
    ctx.unsupported(`antialias=True (Resize's antialias needs opset 18; exporting at ${g.opset})`);
  const resize = (v: string, lead: string) =>
    g.op("Resize", [v, "", "", g.op("Concat", [lead, g.int64s(size)], { axis: attr.i(0) })], {
      mode: attr.s({ bilinear: "linear", nearest: "nearest", bicubic: "cubic" }[interpolation]),
      coordinate_transformation_mode: attr.s("half_pixel"),
      nearest_mode: interpolation === "nearest" ? attr.s("round_prefer_ceil") : undefined,
      cubic_coeff_a: interpolation === "bicubic" ? attr.f(aa ? -0.5 : -0.75) : undefined,
      exclude_outside: aa ? attr.i(1) : undefined,
      antialias: aa ? attr.i(1) : undefined,
    });
  const shape = g.op("Shape", [x]);
  const lead = g.slice(shape, [0], [2], [0]);
  if (interpolation !== "bicubic" || aa) return resize(x, lead);
  // onnxruntime's layout optimizer would turn an NCHW cubic Resize between Transposes into NHWC, where its
  // kernel refuses downscaling without antialias; as (N·C, 1, H, W) no Transpose can pass it.
  const hw = g.slice(shape, [2], [4], [0]);
  const planes = g.op("Reshape", [x, g.op("Concat", [g.int64s([-1, 1]), hw], { axis: attr.i(0) })]);
  const y = resize(planes, g.slice(g.op("Shape", [planes]), [0], [2], [0]));
  return g.op("Reshape", [y, g.op("Concat", [lead, g.int64s(size)], { axis: attr.i(0) })]);
}

/** Runs `body` on the images as an NCHW batch: a single (rank-3) image gets a batch axis of 1. */
export function asImageBatch(
  g: OnnxBuilder,
  x: string,
  rank: number,
  channelsFirst: boolean,
  body: (nchw: string) => string,
): string {
  let v = rank === 3 ? g.unsqueeze(x, [0]) : x;
  if (!channelsFirst) v = g.transpose(v, [0, 3, 1, 2]);
  let y = body(v);
  if (!channelsFirst) y = g.transpose(y, [0, 2, 3, 1]);
  return rank === 3 ? g.squeeze(y, [0]) : y;
}

const INTERPOLATIONS: readonly string[] = ["bilinear", "nearest", "bicubic"];

/**
 * `Resizing(height, width, interpolation="bilinear", crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
 * fill_mode="constant", fill_value=0.0, antialias=False)`: integer images are resized as floats, then
 * rounded (bicubic uint8 clamped to 0..255 first) and cast back, as Keras's torch backend does.
 */
const resizing: Emitter = (ctx) => {
  const { g } = ctx;
  const x = ctx.inputs[0]!;
  const rank = x.shape.length;
  if (rank !== 3 && rank !== 4) return ctx.unsupported(`Resizing on rank-${rank} inputs`);
  const interpolation = ctx.config.string("interpolation");
  if (!INTERPOLATIONS.includes(interpolation)) {
    return ctx.unsupported(
      `interpolation='${interpolation}' (ONNX Resize has ${INTERPOLATIONS.join(", ")}; no lanczos or area kernel)`,
    );
  }
  const fillMode = ctx.config.get("fill_mode") ?? "constant";
  if (fillMode !== "constant") ctx.unsupported(`fill_mode='${String(fillMode)}' (Keras pads with a constant only)`);
  const crop = ctx.config.bool("crop_to_aspect_ratio");
  const pad = ctx.config.bool("pad_to_aspect_ratio");
  if (crop && pad) ctx.unsupported("crop_to_aspect_ratio=True with pad_to_aspect_ratio=True (Keras refuses both)");
  const height = ctx.config.int("height");
  const width = ctx.config.int("width");
  const isFloat = x.dtype.startsWith("float");
  const input = isFloat ? x.name : g.op("Cast", [x.name], { to: attr.i(FLOAT) });
  let y = asImageBatch(g, input, rank, isChannelsFirst(ctx.config), (v) => {
    if (crop) v = cropToAspect(g, v, height, width);
    if (pad) v = padToAspect(g, v, height, width, Number(ctx.config.get("fill_value") ?? 0));
    return interpolate(ctx, v, [height, width], interpolation as Interpolation, ctx.config.bool("antialias"));
  });
  const out = ctx.outputs[0]?.dtype ?? "float32";
  if (!isFloat) {
    if (interpolation === "bicubic" && x.dtype === "uint8") y = g.op("Clip", [y, g.float32s([0]), g.float32s([255])]);
    y = g.op("Round", [y]);
  }
  if (out.startsWith("float")) return [y];
  return [g.op("Cast", [y], { to: attr.i(onnxDataType(out) ?? FLOAT) })];
};

export const resizeEmitters: Record<string, Emitter> = { Resizing: resizing };
