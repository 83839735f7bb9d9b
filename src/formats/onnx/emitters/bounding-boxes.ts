import type { ArgTree } from "../../../ir/graph.js";
import { attr } from "../builder.js";
import type { EmitContext, Emitter, Val } from "../emitter.js";
import { onnxDataType } from "../model.js";
import { dimOf } from "./resize.js";

const isVal = (v: unknown): v is Val =>
  !!v && typeof v === "object" && !Array.isArray(v) && typeof (v as Val).name === "string";

/**
 * The tensors of an image layer's argument in Keras's `tree.flatten` order (dict keys sorted), with their
 * key paths: image layers take a tensor or an `{"images", "labels", "bounding_boxes", ...}` dict, and
 * their outputs come in this order.
 */
export function imageLeaves(tree: ArgTree<Val> | undefined, path: string[] = []): { path: string[]; val: Val }[] {
  if (isVal(tree)) return [{ path, val: tree }];
  if (Array.isArray(tree)) return tree.flatMap((v, i) => imageLeaves(v, [...path, String(i)]));
  if (tree && typeof tree === "object") {
    const dict = tree as Record<string, ArgTree<Val>>;
    return Object.keys(dict)
      .sort()
      .flatMap((k) => imageLeaves(dict[k], [...path, k]));
  }
  return [];
}

/** A scalar constant of `dtype` (Pad's constant_value must have the data's type). */
function scalarOf(ctx: EmitContext, value: number, dtype: string): string {
  const { g } = ctx;
  if (dtype.startsWith("float")) return g.float32s([value]);
  if (dtype === "int64") return g.int64s([value], []);
  const code = onnxDataType(dtype);
  if (code === undefined) return ctx.unsupported(`bounding boxes of dtype ${dtype}`);
  return g.op("Cast", [g.float32s([value])], { to: attr.i(code) });
}

/**
 * `x[:, :max_number]`, then padded with `fill_value` at the end of axis 1 up to `max_number` (Keras pads
 * by `max(max_number - num_boxes, 0)`), so axis 1 always ends with `max_number` entries.
 */
function padOrTruncate(ctx: EmitContext, x: Val, maxNumber: number, fill: number): string {
  const { g } = ctx;
  const rank = x.shape.length;
  if (rank < 2) return ctx.unsupported(`bounding boxes of rank ${rank} (Keras's MaxNumBoundingBoxes needs a batch)`);
  const kept = g.slice(x.name, [0], [maxNumber], [1]);
  const n = x.shape[1];
  const missing =
    typeof n === "number"
      ? g.int64s([Math.max(maxNumber - n, 0)])
      : g.unsqueeze(
          g.op("Max", [g.op("Sub", [g.int64s([maxNumber], []), dimOf(g, x.name, 1)]), g.int64s([0], [])]),
          [0],
        );
  const zeros = (k: number) => g.int64s(new Array<number>(k).fill(0));
  const pads = g.op("Concat", [zeros(rank + 1), missing, zeros(rank - 2)], { axis: attr.i(0) });
  return g.op("Pad", [kept, pads, scalarOf(ctx, fill, x.dtype)], { mode: attr.s("constant") });
}

/**
 * `MaxNumBoundingBoxes(max_number, fill_value=-1)`: the `bounding_boxes` entries ("boxes", "labels") of a
 * dict input padded or truncated to `max_number` per image; images (and anything else) pass unchanged,
 * at inference as in training. Outputs in Keras's flatten order; a value whose Keras dtype differs (the
 * layer's compute dtype, as Keras's compute_output_spec declares it) is cast to it.
 */
const maxNumBoundingBoxes: Emitter = (ctx) => {
  const maxNumber = ctx.config.int("max_number");
  const fill = Math.trunc(Number(ctx.config.get("fill_value") ?? -1));
  return imageLeaves(ctx.args[0]).map(({ path, val }, i) => {
    const y = path[0] === "bounding_boxes" ? padOrTruncate(ctx, val, maxNumber, fill) : val.name;
    const want = ctx.outputs[i]?.dtype ?? val.dtype;
    if (want === val.dtype || (want.startsWith("float") && val.dtype.startsWith("float"))) return y;
    return ctx.g.op("Cast", [y], { to: attr.i(onnxDataType(want) ?? 1) });
  });
};

export const boundingBoxEmitters: Record<string, Emitter> = { MaxNumBoundingBoxes: maxNumBoundingBoxes };
