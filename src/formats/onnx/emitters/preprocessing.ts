import { attr } from "../builder.js";
import type { Emitter } from "../emitter.js";
import { float32Values } from "../tensor-data.js";
import { boundingBoxEmitters, imageLeaves } from "./bounding-boxes.js";
import { identityEmitter } from "./core.js";
import { isChannelsFirst } from "./layout.js";

/**
 * Layers that change their input only when training (Dropout and noise; random augmentation, which
 * Keras's base augmentation layer skips when `training=False`): identities at inference.
 */
const INFERENCE_IDENTITIES = [
  "Dropout",
  "SpatialDropout1D",
  "SpatialDropout2D",
  "SpatialDropout3D",
  "GaussianDropout",
  "GaussianNoise",
  "AlphaDropout",
  "ActivityRegularization",
  "RandomFlip",
  "RandomRotation",
  "RandomTranslation",
  "RandomZoom",
  "RandomContrast",
  "RandomBrightness",
  "RandomHeight",
  "RandomWidth",
  "RandomShear",
  "RandomHue",
  "RandomSaturation",
  "RandomSharpness",
  "RandomGrayscale",
  "RandomInvert",
  "RandomPosterization",
  "RandomColorDegeneration",
  "RandomColorJitter",
  "RandomErasing",
  "RandomGaussianBlur",
  "RandomElasticTransform",
  "RandomPerspective",
  "AugMix",
  "CutMix",
  "MixUp",
  "RandAugment",
];

/**
 * `RandomCrop(height, width)`: unless training, Keras's transform_images returns the images untouched (no
 * crop, no resize), while its compute_output_shape declares (height, width). The identity is exported where
 * both agree (images already height × width); elsewhere the graph could not declare Keras's output shape
 * and compute Keras's values at once, so the layer is refused.
 */
const randomCrop: Emitter = (ctx) => {
  const x = ctx.inputs[0]!;
  const cf = isChannelsFirst(ctx.config);
  const spatial = (s: readonly (number | null)[]) => (cf ? s.slice(-2) : s.slice(-3, -1));
  const have = spatial(x.shape);
  const declared = spatial(ctx.outputs[0]?.shape ?? []);
  if (have.length !== 2 || !have.every((d, i) => d !== null && d === declared[i])) {
    ctx.unsupported(
      `images of size ${have.map((d) => d ?? "None").join("×")} (Keras 3 returns them uncropped at inference ` +
        `while declaring ${declared.map((d) => d ?? "None").join("×")}; one ONNX graph cannot do both)`,
    );
  }
  return [x.name];
};

/** `Rescaling(scale, offset)`: `x * scale + offset` (scale/offset may be per-channel lists). */
const rescaling: Emitter = (ctx) => {
  const { g } = ctx;
  const value = (key: string, fallback: number) => {
    const v = ctx.config.get(key) ?? fallback;
    return Array.isArray(v) ? g.float32s(v as number[], [v.length]) : g.float32s([Number(v)]);
  };
  let x = ctx.inputs[0]!.name;
  if (!ctx.inputs[0]!.dtype.startsWith("float")) x = g.op("Cast", [x], { to: attr.i(1) });
  return [g.op("Add", [g.op("Mul", [x, value("scale", 1)]), value("offset", 0)])];
};

/** `Normalization(axis=-1, mean, variance, invert)`: `(x - mean) / max(sqrt(variance), 1e-7)`. */
const normalization: Emitter = (ctx) => {
  const { g } = ctx;
  const x = ctx.inputs[0]!;
  const rank = x.shape.length;
  const axisCfg = ctx.config.get("axis") ?? -1;
  const axes = (Array.isArray(axisCfg) ? (axisCfg as number[]) : axisCfg === null ? [] : [Number(axisCfg)]).map((a) =>
    a < 0 ? a + rank : a,
  );
  const from = (key: string): Float32Array => {
    const given = ctx.config.get(key);
    if (given !== null && given !== undefined)
      return Float32Array.from((Array.isArray(given) ? given.flat(8) : [given]) as number[]);
    return float32Values(ctx.weight(key));
  };
  const mean = from("mean");
  const variance = from("variance");
  const first = axes.length ? Math.min(...axes) : rank;
  const dims = x.shape.slice(first).map((d, i) => (axes.includes(first + i) ? d! : 1));
  const shapeFor = (n: number) => (n === 1 ? [] : dims);
  const m = ctx.param("mean", () => ({ dims: shapeFor(mean.length), data: mean }));
  const sd = ctx.param("stddev", () => ({
    dims: shapeFor(variance.length),
    data: variance.map((v) => Math.max(Math.sqrt(v), 1e-7)),
  }));
  const input = x.dtype.startsWith("float") ? x.name : g.op("Cast", [x.name], { to: attr.i(1) });
  if (ctx.config.get("invert") === true) return [g.op("Add", [m, g.op("Mul", [input, sd])])];
  return [g.op("Div", [g.op("Sub", [input, m]), sd])];
};

/** `CategoryEncoding(num_tokens, output_mode="multi_hot")`: OneHot, then max (multi_hot) or sum (count) over the tokens. */
const categoryEncoding: Emitter = (ctx) => {
  const { g } = ctx;
  const x = ctx.inputs[0]!;
  const depth = ctx.config.int("num_tokens");
  const mode = String(ctx.config.get("output_mode") ?? "multi_hot");
  const oneHot = (v: string) =>
    // onnxruntime's OneHot takes int64 (or float) indices with float values.
    g.op(
      "OneHot",
      [x.dtype === "int64" ? v : g.op("Cast", [v], { to: attr.i(7) }), g.int64s([depth], []), g.float32s([0, 1], [2])],
      {
        axis: attr.i(-1),
      },
    );
  if (mode === "one_hot") {
    const v = x.shape.length > 1 && x.shape.at(-1) === 1 ? g.squeeze(x.name, [-1]) : x.name;
    return [oneHot(v)];
  }
  if (mode !== "multi_hot" && mode !== "count") return ctx.unsupported(`CategoryEncoding output_mode '${mode}'`);
  const v = x.shape.length === 1 ? g.unsqueeze(x.name, [1]) : x.name;
  return [g.reduce(mode === "count" ? "ReduceSum" : "ReduceMax", oneHot(v), [-2], false)];
};

/**
 * `AutoContrast(value_range=(0, 255))`: per image and channel, stretch [min, max] to the value range;
 * a rank-3 input is one unbatched image, as Keras's `_is_batched` decides.
 */
const autoContrast: Emitter = (ctx) => {
  const { g } = ctx;
  const x = ctx.inputs[0]!;
  const axes = x.shape.length === 4 ? [1, 2] : [0, 1];
  const [lo, hi] = ((ctx.config.get("value_range") as number[] | undefined) ?? [0, 255]).map(Number) as [
    number,
    number,
  ];
  const to255 = (v: string) =>
    lo === 0 && hi === 255 ? v : g.op("Mul", [g.op("Sub", [v, g.float32s([lo])]), g.float32s([255 / (hi - lo)])]);
  const from255 = (v: string) =>
    lo === 0 && hi === 255 ? v : g.op("Add", [g.op("Mul", [v, g.float32s([(hi - lo) / 255])]), g.float32s([lo])]);
  const images = to255(x.name);
  const low = g.reduce("ReduceMin", images, axes, true);
  const high = g.reduce("ReduceMax", images, axes, true);
  const scale = g.op("Div", [g.float32s([255]), g.op("Sub", [high, low])]);
  const stretched = g.op("Sub", [g.op("Mul", [images, scale]), g.op("Mul", [low, scale])]);
  const clipped = from255(g.op("Clip", [stretched, g.float32s([0]), g.float32s([255])]));
  return [g.op("Where", [g.op("IsNaN", [clipped]), x.name, clipped])];
};

/**
 * `Solarization(addition_factor, threshold_factor, value_range)`: at inference Keras's transform_images
 * only casts the images to the compute dtype (the solarizing draws its thresholds only when training).
 */
const solarization: Emitter = (ctx) =>
  imageLeaves(ctx.args[0]).map(({ path, val }) =>
    (path.length === 0 || path[0] === "images") && !val.dtype.startsWith("float")
      ? ctx.g.op("Cast", [val.name], { to: attr.i(1) })
      : val.name,
  );

export const preprocessingEmitters: Record<string, Emitter> = {
  ...Object.fromEntries(INFERENCE_IDENTITIES.map((c) => [c, identityEmitter])),
  ...boundingBoxEmitters,
  Solarization: solarization,
  RandomCrop: randomCrop,
  Rescaling: rescaling,
  Normalization: normalization,
  CategoryEncoding: categoryEncoding,
  AutoContrast: autoContrast,
};
