import { BATCH, type Dim } from "../graph.js";
import { type MapContext, type Mapper, single } from "./context.js";

/** Keras's `target_shape` for an output shape: the batch axis dropped, one unknown size as -1. */
function targetShape(ctx: MapContext, out: Dim[]): number[] {
  const rest = out.slice(1);
  const unknown = rest.filter((d) => typeof d !== "number").length;
  if (unknown > 1) ctx.unsupported(`reshapes to [${out.join(", ")}], with more than one size unknown until run time`);
  return rest.map((d) => (typeof d === "number" ? d : -1));
}

function keepsBatch(ctx: MapContext): void {
  if (ctx.shape(0)[0] !== BATCH || ctx.out().shape?.[0] !== BATCH) {
    ctx.unsupported(
      `moves the batch axis (input [${ctx.shape(0).join(", ")}], output [${ctx.out().shape?.join(", ")}]); a Keras layer keeps it first`,
    );
  }
}

/** A reshape to rank 2 of a higher-rank tensor is Keras's Flatten; any other a Reshape. */
const reshape: Mapper = (ctx) => {
  keepsBatch(ctx);
  const out = ctx.out().shape!;
  const x = ctx.input(0);
  const y = ctx.node.outputs[0]!;
  if (out.length === 2 && ctx.shape(0).length > 2) return [single("Flatten", {}, x, y)];
  return [single("Reshape", { target_shape: targetShape(ctx, out) }, x, y)];
};

/** A transpose that keeps the batch axis first: Permute with 1-based dims. */
const permute: Mapper = (ctx) => {
  const rank = ctx.shape(0).length;
  const perm = (ctx.node.attrs.perm as number[] | undefined) ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
  if (perm[0] !== 0)
    ctx.unsupported(`moves the batch axis (perm [${perm.join(", ")}]); Keras's Permute keeps it first`);
  return [single("Permute", { dims: perm.slice(1) }, ctx.input(0), ctx.node.outputs[0]!)];
};

/** kg.Flatten: Keras's Flatten(data_format) — channels_first moves channels last before flattening. */
const flatten: Mapper = (ctx) => [
  single(
    "Flatten",
    ctx.has("data_format") ? { data_format: ctx.string("data_format") } : {},
    ctx.input(0),
    ctx.node.outputs[0]!,
  ),
];

/** kg.RepeatVector (Unsqueeze + Expand / Tile of a 2-D tensor) → RepeatVector(n). */
const repeatVector: Mapper = (ctx) => [single("RepeatVector", { n: ctx.int("n") }, ctx.input(0), ctx.node.outputs[0]!)];

const identity: Mapper = (ctx) => [single("Identity", {}, ctx.input(0), ctx.node.outputs[0]!)];

export const reshapingMappers: Record<string, Mapper> = {
  "kg.Reshape": reshape,
  "kg.Permute": permute,
  "kg.Flatten": flatten,
  "kg.RepeatVector": repeatVector,
  Reshape: reshape,
  Flatten: reshape,
  Squeeze: reshape,
  Unsqueeze: reshape,
  Transpose: permute,
  Identity: identity,
};
