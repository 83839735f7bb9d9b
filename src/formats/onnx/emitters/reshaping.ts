import type { CallContext } from "../../../ir/kind.js";
import { readPairs } from "../../../layers/reshaping/pairs.js";
import { attr } from "../builder.js";
import type { EmitContext, Emitter } from "../emitter.js";
import { channelsFirstRegion, isChannelsFirst, reshapeTarget, spatialAxes } from "./layout.js";

const x0 = (ctx: EmitContext) => ctx.inputs[0]!;

/** `Reshape(target_shape)`: the batch copied, the other dims as Keras computed them (one unknown as -1). */
const reshape: Emitter = (ctx) => {
  const target = reshapeTarget(ctx.outputs[0]!.shape) ?? [0, ...ctx.config.intList("target_shape")];
  return [ctx.g.reshape(x0(ctx).name, target)];
};

/** `Flatten(data_format)`: channels-first inputs are moved to channels-last first, as Keras does. */
const flatten: Emitter = (ctx) => {
  const x = x0(ctx);
  const rank = x.shape.length;
  let v = x.name;
  if (isChannelsFirst(ctx.config) && rank > 2)
    v = ctx.g.transpose(v, [0, ...Array.from({ length: rank - 2 }, (_, i) => i + 2), 1]);
  return [rank === 2 ? v : ctx.g.reshape(v, [0, -1])];
};

/** `Permute(dims)`: a Transpose that keeps the batch axis first. */
const permute: Emitter = (ctx) => [ctx.g.transpose(x0(ctx).name, [0, ...ctx.config.intList("dims")])];

/** `RepeatVector(n)`: (batch, features) → (batch, n, features). */
const repeatVector: Emitter = (ctx) => {
  const n = ctx.config.int("n");
  return [ctx.g.op("Expand", [ctx.g.unsqueeze(x0(ctx).name, [1]), ctx.g.int64s([1, n, 1])])];
};

/** `Cropping1D/2D/3D(cropping, data_format)`: one Slice over the spatial axes. */
const cropping =
  (r: number): Emitter =>
  (ctx) => {
    const x = x0(ctx);
    const pairs = readPairs(ctx as unknown as CallContext, "cropping", r);
    const axes = spatialAxes(r + 2, r > 1 && isChannelsFirst(ctx.config));
    const ends = pairs.map(([, b], i) => (b === 0 ? (x.shape[axes[i]!] ?? 2 ** 62) : -b));
    return [
      ctx.g.slice(
        x.name,
        pairs.map(([a]) => a),
        ends,
        axes,
      ),
    ];
  };

/** `ZeroPadding1D/2D/3D(padding, data_format)`: Pad with zeros on the spatial axes. */
const zeroPadding =
  (r: number): Emitter =>
  (ctx) => {
    const x = x0(ctx);
    const rank = r + 2;
    const pairs = readPairs(ctx as unknown as CallContext, "padding", r);
    const axes = spatialAxes(rank, isChannelsFirst(ctx.config));
    const pads = Array<number>(2 * rank).fill(0);
    axes.forEach((a, i) => {
      pads[a] = pairs[i]![0];
      pads[a + rank] = pairs[i]![1];
    });
    return [ctx.g.op("Pad", [x.name, ctx.g.int64s(pads)], { mode: attr.s("constant") })];
  };

/**
 * `UpSampling1D/2D/3D(size)`: Keras repeats each element `size` times (nearest, floor of x/size); 2D
 * also does bilinear (half-pixel centers). A Resize in a channels-first region.
 */
const upSampling =
  (r: number): Emitter =>
  (ctx) => {
    const x = x0(ctx);
    const rank = r + 2;
    const cf = r > 1 && isChannelsFirst(ctx.config);
    const size = r === 1 ? [ctx.config.int("size")] : ctx.config.tuple("size", r);
    const mode = String(ctx.config.get("interpolation") ?? "nearest");
    if (mode !== "nearest" && mode !== "bilinear") ctx.unsupported(`UpSampling interpolation '${mode}'`);
    const scales = ctx.g.float32s([1, 1, ...size], [rank]);
    const attrs =
      mode === "nearest"
        ? {
            mode: attr.s("nearest"),
            coordinate_transformation_mode: attr.s("asymmetric"),
            nearest_mode: attr.s("floor"),
          }
        : { mode: attr.s("linear"), coordinate_transformation_mode: attr.s("half_pixel") };
    return [channelsFirstRegion(ctx.g, x.name, rank, cf, (v) => ctx.g.op("Resize", [v, "", scales], attrs))];
  };

export const reshapingEmitters: Record<string, Emitter> = {
  Reshape: reshape,
  Flatten: flatten,
  Permute: permute,
  RepeatVector: repeatVector,
  Cropping1D: cropping(1),
  Cropping2D: cropping(2),
  Cropping3D: cropping(3),
  ZeroPadding1D: zeroPadding(1),
  ZeroPadding2D: zeroPadding(2),
  ZeroPadding3D: zeroPadding(3),
  UpSampling1D: upSampling(1),
  UpSampling2D: upSampling(2),
  UpSampling3D: upSampling(3),
};
