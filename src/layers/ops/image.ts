import type { TensorSpec } from "../../ir/graph.js";
import type { CallContext, LayerKind } from "../../ir/kind.js";
import type { Dim } from "../../ir/shape.js";
import { isFloat } from "./dtypes.js";
import { convOutputLength } from "../shape-arith.js";
import { defineOp, defineOps, opt, pyList, pyRepr, pyTuple, tensorAt } from "./define-op.js";

/*
 * keras/src/ops/image.py on a single image (rank 3) or a batch (rank 4); `data_format=None` is
 * channels_last. They keep the images' dtype.
 */

const channelsLast = (ctx: CallContext) => (opt(ctx, "data_format") ?? "channels_last") === "channels_last";

function images(ctx: CallContext, message = "Received: images.shape="): TensorSpec {
  const x = tensorAt(ctx, 0, "images");
  if (x.shape.length !== 3 && x.shape.length !== 4) {
    ctx.fail(
      `Invalid images rank: expected rank 3 (single image) or rank 4 (batch of images). ${message}${pyList(x.shape)}`,
    );
  }
  return x;
}

const hwAxes = (ctx: CallContext, n: number): [number, number] => (channelsLast(ctx) ? [n - 3, n - 2] : [n - 2, n - 1]);

const colorKinds = [
  defineOp("RGBToGrayscale", { data_format: null }, (ctx) => {
    const x = images(ctx);
    const shape = [...x.shape];
    const c = channelsLast(ctx) ? shape.length - 1 : shape.length - 3;
    if (shape[c] !== null && shape[c] !== 1 && shape[c] !== 3) {
      ctx.fail(
        `Invalid channel size: expected 3 (RGB) or 1 (Grayscale). Received input with shape: images.shape=${pyTuple(shape)}`,
      );
    }
    shape[c] = 1;
    return { shape, dtype: x.dtype };
  }),
  ...defineOps({ RGBToHSV: { data_format: null }, HSVToRGB: { data_format: null } }, (ctx) => {
    const x = images(ctx);
    if (!isFloat(x.dtype)) ctx.fail(`Invalid images dtype: expected float dtype. Received: images.dtype=${x.dtype}`);
    const c = x.shape.at(channelsLast(ctx) ? -1 : -3)!;
    if (c !== null && c !== 3) ctx.fail(`Input images must have 3 channels, but received images with ${c} channels.`);
    return { shape: x.shape, dtype: x.dtype };
  }),
];

const keepKinds = [
  ...defineOps(
    {
      GaussianBlur: { kernel_size: [3, 3], sigma: [1.0, 1.0], data_format: null },
      SobelEdges: { data_format: null },
      ElasticTransform: {
        alpha: 20.0,
        sigma: 5.0,
        interpolation: "bilinear",
        fill_mode: "reflect",
        fill_value: 0.0,
        seed: null,
        data_format: null,
      },
    },
    (ctx) => {
      const x = images(ctx, "Received input with shape: images.shape=");
      return { shape: x.shape, dtype: x.dtype };
    },
  ),
  defineOp(
    "AffineTransform",
    { interpolation: "bilinear", fill_mode: "constant", fill_value: 0, data_format: null },
    (ctx) => {
      const x = images(ctx, "Received input with shape: images.shape=");
      const t = tensorAt(ctx, 1, "transform");
      if (t.shape.length !== 1 && t.shape.length !== 2) {
        ctx.fail(
          `Invalid transform rank: expected rank 1 (single transform) or rank 2 (batch of transforms). Received input with shape: transform.shape=${pyTuple(t.shape)}`,
        );
      }
      return { shape: x.shape, dtype: x.dtype };
    },
  ),
];

/** `resize(images, size, ...)`: height and width become `size`. */
const Resize = defineOp(
  "Resize",
  {
    interpolation: "bilinear",
    antialias: false,
    crop_to_aspect_ratio: false,
    pad_to_aspect_ratio: false,
    fill_mode: "constant",
    fill_value: 0.0,
    data_format: null,
  },
  (ctx) => {
    const x = images(ctx, "Received input with shape: images.shape=");
    const size = opt(ctx, "size");
    if (!Array.isArray(size) || size.length !== 2)
      return ctx.fail(`expects \`size\` to be (height, width). Received: size=${pyRepr(size)}`);
    const shape = [...x.shape];
    const [h, w] = hwAxes(ctx, shape.length);
    [shape[h], shape[w]] = size as [number, number];
    return { shape, dtype: x.dtype };
  },
);

/**
 * `pad_images` / `crop_images`: the target size is given, or the image size plus/minus the two margins;
 * a margin left None is what remains.
 */
function padOrCrop(ctx: CallContext, pad: boolean): TensorSpec {
  const x = images(ctx);
  const shape = [...x.shape];
  const [hAxis, wAxis] = hwAxes(ctx, shape.length);
  const verb = pad ? "padding" : "cropping";
  const sides = [
    ["top", "bottom", "target_height", hAxis, "height"],
    ["left", "right", "target_width", wAxis, "width"],
  ] as const;
  for (const [first, second, targetKey, axis, what] of sides) {
    const size = shape[axis]!;
    let target = opt(ctx, targetKey) as Dim;
    let a = opt(ctx, `${first}_${verb}`) as number | null;
    let b = opt(ctx, `${second}_${verb}`) as number | null;
    if (!pad && size === null && target === null) {
      ctx.fail(
        `When the ${what} of the images is unknown, \`${targetKey}\` must be specified.Received images.shape=${pyList(shape)} and ${targetKey}=None`,
      );
    }
    if (target === null && size !== null) target = pad ? (a ?? 0) + size + (b ?? 0) : size - (a ?? 0) - (b ?? 0);
    if (size !== null && target !== null) {
      const rest = pad ? target - size : size - target;
      a ??= rest - (b ?? 0);
      b ??= rest - a;
      for (const [k, v] of [
        [`${first}_${verb}`, a],
        [`${second}_${verb}`, b],
        [targetKey, target],
      ] as const) {
        if (v < 0) ctx.fail(`${k} must be >= 0. Received: ${k}=${v}`);
      }
    }
    shape[axis] = target;
  }
  return { shape, dtype: x.dtype };
}

const PAD = {
  top_padding: null,
  left_padding: null,
  bottom_padding: null,
  right_padding: null,
  target_height: null,
  target_width: null,
  data_format: null,
};
const CROP = {
  top_cropping: null,
  left_cropping: null,
  bottom_cropping: null,
  right_cropping: null,
  target_height: null,
  target_width: null,
  data_format: null,
};

/** `extract_patches(images, size, strides=None, dilation_rate=1, padding="valid")`: a conv's output grid, patch values as channels. */
const ExtractPatches = defineOp(
  "ExtractPatches",
  { strides: null, dilation_rate: 1, padding: "valid", data_format: null },
  (ctx) => {
    const x = tensorAt(ctx, 0, "images");
    const raw = opt(ctx, "size");
    const size = typeof raw === "number" ? [raw, raw] : (raw as number[]);
    const last = channelsLast(ctx);
    const n = size.length;
    const batched = x.shape.length === n + 2;
    const shape = batched ? x.shape : [1, ...x.shape];
    const cin = last ? shape.at(-1)! : shape[1]!;
    const spatial = last ? shape.slice(1, -1) : shape.slice(2);
    const per = (v: unknown) => (typeof v === "number" ? Array<number>(n).fill(v) : (v as number[]));
    const strides = per(opt(ctx, "strides") ?? size);
    const dilation = per(opt(ctx, "dilation_rate"));
    const padding = String(opt(ctx, "padding")).toLowerCase() as "valid" | "same";
    const out = spatial.map((d, i) => convOutputLength(d, size[i]!, strides[i]!, padding, dilation[i]!));
    const filters = cin === null ? null : size.reduce((a, b) => a * b, 1) * cin;
    const result = last ? [shape[0]!, ...out, filters] : [shape[0]!, filters, ...out];
    return { shape: batched ? result : result.slice(1), dtype: x.dtype };
  },
);

const otherKinds = [
  defineOp("PerspectiveTransform", { interpolation: "bilinear", fill_value: 0, data_format: null }, (ctx) => {
    const x = images(ctx, "Received input with shape: images.shape=");
    const [s, e] = [tensorAt(ctx, 1, "start_points"), tensorAt(ctx, 2, "end_points")];
    for (const [p, name] of [
      [s, "start_points"],
      [e, "end_points"],
    ] as const) {
      if (p.shape.at(-2) !== 4 || p.shape.at(-1) !== 2 || (p.shape.length !== 2 && p.shape.length !== 3)) {
        ctx.fail(
          `Invalid ${name} shape: expected (4,2) for a single image or (N,4,2) for a batch. Received shape: ${pyTuple(p.shape)}`,
        );
      }
    }
    return { shape: x.shape, dtype: x.dtype };
  }),
  /** `map_coordinates(inputs, coordinates, order)`: the coordinates' grid, the inputs' dtype. */
  defineOp("MapCoordinates", { fill_mode: "constant", fill_value: 0 }, (ctx) => {
    const x = tensorAt(ctx, 0, "inputs");
    const c = tensorAt(ctx, 1, "coordinates");
    if (c.shape[0] !== x.shape.length) {
      ctx.fail(
        `First dim of \`coordinates\` must be the same as the rank of \`inputs\`. Received inputs with shape: ${pyTuple(x.shape)} and coordinate leading dim of ${c.shape[0] ?? "None"}`,
      );
    }
    return { shape: c.shape.slice(1), dtype: x.dtype };
  }),
  defineOp("ScaleAndTranslate", { antialias: true }, (ctx) => {
    const x = tensorAt(ctx, 0, "images");
    const shape = ctx.args[1] ?? ctx.kwargs.output_shape;
    if (!Array.isArray(shape))
      return ctx.fail(`expects \`output_shape\` to be a list of ints. Received: ${JSON.stringify(shape)}`);
    return { shape: shape.map((d) => (typeof d === "number" ? d : null)), dtype: x.dtype };
  }),
  /** `ssim(image1, image2)`: one value per image. */
  defineOp(
    "SSIM",
    { max_val: 1.0, filter_size: 11, filter_sigma: 1.5, k1: 0.01, k2: 0.03, data_format: null },
    (ctx) => {
      const [a, b] = [tensorAt(ctx, 0, "image1"), tensorAt(ctx, 1, "image2")];
      for (const [x, name] of [
        [a, "image1"],
        [b, "image2"],
      ] as const) {
        if (x.shape.length !== 3 && x.shape.length !== 4) {
          ctx.fail(
            `Invalid ${name} rank: expected rank 3 (single image) or rank 4 (batch of images). Received input with shape: ${name}.shape=${pyTuple(x.shape)}`,
          );
        }
      }
      return { shape: a.shape.length === 3 ? [] : [a.shape[0]!], dtype: a.dtype };
    },
  ),
];

export const imageKinds: LayerKind[] = [
  ...otherKinds,
  ...colorKinds,
  ...keepKinds,
  Resize,
  defineOp("PadImages", PAD, (ctx) => padOrCrop(ctx, true)),
  defineOp("CropImages", CROP, (ctx) => padOrCrop(ctx, false)),
  ExtractPatches,
];
