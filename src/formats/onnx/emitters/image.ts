import type { Emitter } from "../emitter.js";
import { isChannelsFirst } from "./layout.js";
import { asImageBatch, aspectCropLength, dimOf, halfOf, interpolate, pairOf } from "./resize.js";

/**
 * `CenterCrop(height, width)`: the centered window when the image is large enough, else Keras's
 * `smart_resize` (the largest centered crop of the target's aspect ratio, resized bilinearly). Which one
 * applies depends on the image size at run time (a rank-3 input is one unbatched image whose height is
 * the first axis), so the crop box is computed in the graph and a bilinear Resize to (height, width)
 * follows either way — an identity when the window already has that size.
 */
const centerCrop: Emitter = (ctx) => {
  const { g } = ctx;
  const x = ctx.inputs[0]!;
  const rank = x.shape.length;
  if (rank !== 3 && rank !== 4) return ctx.unsupported(`CenterCrop on rank-${rank} inputs`);
  const cf = isChannelsFirst(ctx.config);
  const [ha, wa] = cf ? [rank - 2, rank - 1] : [rank - 3, rank - 2];
  const height = ctx.config.int("height");
  const width = ctx.config.int("width");
  const H = dimOf(g, x.name, ha);
  const W = dimOf(g, x.name, wa);
  const i64 = (v: number) => g.int64s([v], []);
  const fits = g.op("And", [g.op("GreaterOrEqual", [H, i64(height)]), g.op("GreaterOrEqual", [W, i64(width)])]);
  const lenH = g.op("Where", [fits, i64(height), aspectCropLength(g, H, W, height, width)]);
  const lenW = g.op("Where", [fits, i64(width), aspectCropLength(g, W, H, width, height)]);
  const starts = pairOf(g, halfOf(g, g.op("Sub", [H, lenH])), halfOf(g, g.op("Sub", [W, lenW])));
  const window = g.op("Slice", [x.name, starts, g.op("Add", [starts, pairOf(g, lenH, lenW)]), g.int64s([ha, wa])]);
  return [asImageBatch(g, window, rank, cf, (v) => interpolate(ctx, v, [height, width], "bilinear", false))];
};

export const imageEmitters: Record<string, Emitter> = {
  CenterCrop: centerCrop,
};
