import { type Const, float32Of, sizeOf } from "../const.js";
import { normalizeAxis } from "../params.js";
import { type MapContext, type Mapper, single } from "./context.js";

function vector(ctx: MapContext, i: number, what: string, n: number): { shape: number[]; data: Float32Array } {
  const c: Const = ctx.weight(i, what);
  if (sizeOf(c.dims) !== n)
    ctx.unsupported(`has a ${what} of shape [${c.dims.join(", ")}]; ${n} values (one per channel) expected`);
  return { shape: [n], data: float32Of(c) };
}

/** The channel axis of a channels-first op in its layout (last when converted, else 1). */
function channelAxis(ctx: MapContext): number {
  const rank = ctx.shape(0).length;
  return ctx.channelsLast || rank === 2 ? -1 : 1;
}

/** `BatchNormalization` (inference) → BatchNormalization(axis, momentum, epsilon). */
const batchNorm: Mapper = (ctx) => {
  if (ctx.int("training_mode", 0) === 1) ctx.unsupported("runs in training mode");
  const shape = ctx.shape(0);
  const axis = channelAxis(ctx);
  const c = shape[normalizeAxis(axis, shape.length)];
  if (typeof c !== "number") return ctx.unsupported("normalizes over a channel axis of unknown size");
  if (ctx.graph.opset < 9 && ctx.int("spatial", 1) === 0 && shape.length > 2)
    ctx.unsupported("normalizes per position (spatial=0)");
  return [
    single(
      "BatchNormalization",
      { axis, momentum: ctx.float("momentum", 0.9), epsilon: ctx.float("epsilon", 1e-5), center: true, scale: true },
      ctx.input(0),
      ctx.node.outputs[0]!,
      {
        gamma: vector(ctx, 1, "scale", c),
        beta: vector(ctx, 2, "bias", c),
        moving_mean: vector(ctx, 3, "mean", c),
        moving_variance: vector(ctx, 4, "variance", c),
      },
    ),
  ];
};

/**
 * The importer's per-channel affine map (kg.Affine: x·scale + offset along `axis`, from Mul / Add by
 * a per-channel constant): a BatchNormalization with mean 0, variance 1 and epsilon 0, which computes
 * exactly x·gamma + beta.
 */
const affine: Mapper = (ctx) => {
  const axis = ctx.int("axis");
  const shape = ctx.shape(0);
  const c = shape[normalizeAxis(axis, shape.length)] as number;
  const scale = ctx.input(1) ? vector(ctx, 1, "scale", c) : null;
  const offset = ctx.input(2) ? vector(ctx, 2, "offset", c) : null;
  const ones = { shape: [c], data: new Float32Array(c).fill(1) };
  const zeros = { shape: [c], data: new Float32Array(c) };
  return [
    single(
      "BatchNormalization",
      { axis: axis === shape.length - 1 ? -1 : axis, epsilon: 0, center: offset !== null, scale: scale !== null },
      ctx.input(0),
      ctx.node.outputs[0]!,
      {
        ...(scale ? { gamma: scale } : {}),
        ...(offset ? { beta: offset } : {}),
        moving_mean: zeros,
        moving_variance: ones,
      },
    ),
  ];
};

/**
 * `LayerNormalization` (opset 17: over axis..rank-1) or the importer's recognized decomposition
 * (kg.LayerNormalization: over `axes`) → LayerNormalization(axis), γ and β shaped like those axes.
 */
const layerNorm: Mapper = (ctx) => {
  const shape = ctx.shape(0);
  const rank = shape.length;
  const axes = ctx.has("axes")
    ? ctx.ints("axes").map((a) => normalizeAxis(a, rank))
    : Array.from(
        { length: rank - normalizeAxis(ctx.int("axis", -1), rank) },
        (_, i) => normalizeAxis(ctx.int("axis", -1), rank) + i,
      );
  if (axes.includes(0)) ctx.unsupported("normalizes over the batch axis");
  const dims = axes.map((a) => shape[a]);
  if (dims.some((d) => typeof d !== "number")) ctx.unsupported("normalizes over axes of unknown size");
  const wshape = dims as number[];
  const n = wshape.reduce((a, b) => a * b, 1);
  const gamma = ctx.input(1) ? vector(ctx, 1, "scale", n) : null;
  const beta = ctx.input(2) ? vector(ctx, 2, "bias", n) : null;
  const axis = axes.length === 1 ? (axes[0] === rank - 1 ? -1 : axes[0]!) : axes;
  return [
    single(
      "LayerNormalization",
      { axis, epsilon: ctx.float("epsilon", 1e-5), center: !!beta, scale: !!gamma },
      ctx.input(0),
      ctx.node.outputs[0]!,
      {
        ...(gamma ? { gamma: { shape: wshape, data: gamma.data } } : {}),
        ...(beta ? { beta: { shape: wshape, data: beta.data } } : {}),
      },
    ),
  ];
};

/** `InstanceNormalization` → GroupNormalization with one group per channel. */
const instanceNorm: Mapper = (ctx) => {
  const shape = ctx.shape(0);
  const axis = ctx.channelsLast ? -1 : 1;
  const c = shape[normalizeAxis(axis, shape.length)];
  if (typeof c !== "number") return ctx.unsupported("normalizes over a channel axis of unknown size");
  return [
    single(
      "GroupNormalization",
      { groups: c, axis, epsilon: ctx.float("epsilon", 1e-5), center: true, scale: true },
      ctx.input(0),
      ctx.node.outputs[0]!,
      {
        gamma: vector(ctx, 1, "scale", c),
        beta: vector(ctx, 2, "bias", c),
      },
    ),
  ];
};

/** The importer's recognized RMS normalization (kg.RMSNormalization over trailing `axes`) → RMSNormalization. */
const rmsNorm: Mapper = (ctx) => {
  const shape = ctx.shape(0);
  const axes = ctx.ints("axes");
  const dims = axes.map((a) => shape[a] as number);
  const n = dims.reduce((a, b) => a * b, 1);
  const scale = ctx.input(1) ? vector(ctx, 1, "scale", n).data : new Float32Array(n).fill(1);
  return [
    single(
      "RMSNormalization",
      { axis: axes.length === 1 ? -1 : axes, epsilon: ctx.float("epsilon") },
      ctx.input(0),
      ctx.node.outputs[0]!,
      { scale: { shape: dims, data: scale } },
    ),
  ];
};

export const normalizationMappers: Record<string, Mapper> = {
  "kg.RMSNormalization": rmsNorm,
  BatchNormalization: batchNorm,
  LayerNormalization: layerNorm,
  InstanceNormalization: instanceNorm,
  "kg.LayerNormalization": layerNorm,
  "kg.Affine": affine,
};
