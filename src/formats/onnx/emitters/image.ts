import { attr } from "../builder.js";
import type { EmitContext, Emitter } from "../emitter.js";
import { isChannelsFirst } from "./layout.js";

const INT64 = 7;
const FLOAT = 1;

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
  const shape = g.op("Shape", [x.name]);
  const dim = (axis: number) => g.op("Gather", [shape, g.int64s([axis], [])], { axis: attr.i(0) });
  const H = dim(ha);
  const W = dim(wa);
  const i64 = (v: number) => g.int64s([v], []);
  const fits = g.op("And", [g.op("GreaterOrEqual", [H, i64(height)]), g.op("GreaterOrEqual", [W, i64(width)])]);
  const half = (v: string) =>
    g.op("Cast", [g.op("Div", [g.op("Cast", [v], { to: attr.i(FLOAT) }), g.float32s([2])])], { to: attr.i(INT64) });
  // smart_resize: crop = clamp(int(float(other * target) / other_target), 1, size).
  const cropLen = (size: string, other: string, target: number, otherTarget: number) => {
    const scaled = g.op("Div", [
      g.op("Cast", [g.op("Mul", [other, i64(target)])], { to: attr.i(FLOAT) }),
      g.float32s([otherTarget]),
    ]);
    const n = g.op("Cast", [scaled], { to: attr.i(INT64) });
    return g.op("Max", [g.op("Min", [n, size]), i64(1)]);
  };
  const cropH = cropLen(H, W, height, width);
  const cropW = cropLen(W, H, width, height);
  const lenH = g.op("Where", [fits, i64(height), cropH]);
  const lenW = g.op("Where", [fits, i64(width), cropW]);
  const startH = half(g.op("Sub", [H, lenH]));
  const startW = half(g.op("Sub", [W, lenW]));
  const vec = (a: string, b: string) => g.op("Concat", [g.unsqueeze(a, [0]), g.unsqueeze(b, [0])], { axis: attr.i(0) });
  const starts = vec(startH, startW);
  const window = g.op("Slice", [x.name, starts, g.op("Add", [starts, vec(lenH, lenW)]), g.int64s([ha, wa])]);
  return [resizeBilinear(ctx, window, rank, cf, height, width)];
};

/** Bilinear (half-pixel, no antialiasing: torch's interpolate as Keras calls it) resize of the image axes. */
function resizeBilinear(ctx: EmitContext, x: string, rank: number, cf: boolean, height: number, width: number): string {
  const { g } = ctx;
  let v = rank === 3 ? g.unsqueeze(x, [0]) : x;
  if (!cf) v = g.transpose(v, [0, 3, 1, 2]);
  const lead = g.slice(g.op("Shape", [v]), [0], [2], [0]);
  const sizes = g.op("Concat", [lead, g.int64s([height, width])], { axis: attr.i(0) });
  let y = g.op("Resize", [v, "", "", sizes], {
    mode: attr.s("linear"),
    coordinate_transformation_mode: attr.s("half_pixel"),
  });
  if (!cf) y = g.transpose(y, [0, 2, 3, 1]);
  return rank === 3 ? g.squeeze(y, [0]) : y;
}

export const imageEmitters: Record<string, Emitter> = {
  CenterCrop: centerCrop,
};
