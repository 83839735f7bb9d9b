import { isFloatDtype } from "../../ir/dtype.js";
import type { ArgTree, DType, TensorSpec } from "../../ir/graph.js";
import type { CallContext, LayerKind } from "../../ir/kind.js";
import { formatShape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";
import { type DataFormat, readDataFormat } from "../shape-arith.js";

/**
 * What Keras's `BaseImagePreprocessingLayer(factor=None, bounding_box_format=None, data_format=None)`
 * adds to every image layer's config. Keras 2 (tf.keras) image layers write no `data_format`: they are
 * channels-last only, which is also Keras 3's default `image_data_format()`.
 */
export const imageDefaults: Record<string, unknown> = { data_format: "channels_last", bounding_box_format: null };

/** `value_range=(0, 255)`, the default of every image layer that takes one. */
export const VALUE_RANGE = [0, 255];

/** The layer's `data_format` (a hand-written null means Keras's default, channels_last). */
export function dataFormat(ctx: CallContext): DataFormat {
  return readDataFormat(ctx.config);
}

/** The negative axes of height, width and channels (the same for a single image and a batch). */
export function imageAxes(format: DataFormat): { h: number; w: number; c: number } {
  return format === "channels_last" ? { h: -3, w: -2, c: -1 } : { h: -2, w: -1, c: -3 };
}

const isSpec = (v: unknown): v is TensorSpec =>
  v !== null && typeof v === "object" && !Array.isArray(v) && Array.isArray((v as TensorSpec).shape);

/**
 * Every tensor of an argument tree in Keras's `tree.flatten` order (dict keys sorted), with its key
 * path: image layers also take `{"images", "labels", "bounding_boxes", "segmentation_masks"}` dicts.
 */
export function flattenWithPaths(
  tree: ArgTree<TensorSpec>,
  path: string[] = [],
): { path: string[]; spec: TensorSpec }[] {
  if (isSpec(tree)) return [{ path, spec: tree }];
  if (Array.isArray(tree)) return tree.flatMap((v, i) => flattenWithPaths(v, [...path, String(i)]));
  if (tree !== null && typeof tree === "object") {
    return Object.keys(tree)
      .sort()
      .flatMap((k) => flattenWithPaths(tree[k]!, [...path, k]));
  }
  return [];
}

/**
 * The images a call transforms (the tensor itself, or the `images` entry of a dict), checked like
 * Keras's `_is_batched`: rank 3 (one image) or 4 (a batch).
 */
export function imagesSpec(ctx: CallContext): TensorSpec {
  const arg = ctx.args[0];
  let images: TensorSpec | undefined;
  if (isSpec(arg)) images = arg;
  else if (arg && typeof arg === "object" && !Array.isArray(arg) && isSpec(arg["images"])) images = arg["images"];
  if (!images) {
    return ctx.fail(
      `expects an image tensor or a dict with an "images" entry. Received: ${ctx.inputs.length} input tensor(s) ` +
        `with shapes ${ctx.inputs.map((s) => formatShape(s.shape)).join(", ") || "(none)"}`,
    );
  }
  if (images.shape.length !== 3 && images.shape.length !== 4) {
    ctx.fail(
      `expects images of rank 3 (a single image) or 4 (a batch of images). Received: input_shape=${formatShape(images.shape)}`,
    );
  }
  return images;
}

/** A single image tensor (layers whose `compute_output_shape` rewrites the shape take no dict). */
export function singleImage(ctx: CallContext): TensorSpec {
  const images = imagesSpec(ctx);
  if (!isSpec(ctx.args[0]) || ctx.inputs.length !== 1) {
    ctx.fail("expects a single image tensor (its output shape cannot be computed for a dict of images and targets).");
  }
  return images;
}

/**
 * How the output dtype follows the input: "compute" (Keras's default `compute_output_spec`: the
 * policy's compute dtype) or "input" (`compute_output_spec` returns the input spec after `__call__`'s
 * autocast: float inputs take the compute dtype, integer inputs keep theirs).
 */
export type DtypeRule = "compute" | "input";

export function outputDtype(ctx: CallContext, input: TensorSpec, rule: DtypeRule): DType {
  return rule === "input" && !isFloatDtype(input.dtype) ? input.dtype : ctx.computeDtype;
}

/**
 * An image layer whose `compute_output_shape` returns its input shape (augmentations, colour ops):
 * every input (images and targets alike) comes out with its shape.
 */
export function defineShapePreservingImageLayer(kind: {
  className: string;
  aliases?: string[];
  defaults: Record<string, unknown>;
  dtype?: DtypeRule;
  /** Extra preconditions on the images (e.g. three channels). */
  check?: (ctx: CallContext, images: TensorSpec) => void;
}): LayerKind {
  return defineLayer({
    className: kind.className,
    aliases: kind.aliases,
    defaults: { ...imageDefaults, ...kind.defaults },
    outputs(ctx) {
      const images = imagesSpec(ctx);
      kind.check?.(ctx, images);
      return flattenWithPaths(ctx.args[0]!).map(({ spec }) => ({
        shape: [...spec.shape],
        dtype: outputDtype(ctx, spec, kind.dtype ?? "compute"),
      }));
    },
  });
}

/**
 * A single image's (or batch's) shape with height and width replaced, as the `compute_output_shape` of
 * Resizing, CenterCrop and RandomCrop.
 */
export function resizeSpatial(ctx: CallContext, height: number, width: number): (number | null)[] {
  const shape = [...singleImage(ctx).shape];
  const axes = imageAxes(dataFormat(ctx));
  shape[shape.length + axes.h] = height;
  shape[shape.length + axes.w] = width;
  return shape;
}
