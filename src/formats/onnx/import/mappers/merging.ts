import { type Const, numbers, sizeOf } from "../const.js";
import type { Dim } from "../graph.js";
import { normalizeAxis } from "../params.js";
import { type LayerSpec, type MapContext, type Mapper, single } from "./context.js";

const MERGE: Record<string, string> = {
  Add: "Add",
  Sum: "Add",
  Sub: "Subtract",
  Mul: "Multiply",
  Max: "Maximum",
  Min: "Minimum",
  Mean: "Average",
};

/**
 * The one non-batch axis a constant varies along when broadcast against `shape` (every other
 * dimension 1), -1 for a scalar, null when it varies along several or along the batch axis.
 */
export function channelAxisOf(c: Const, shape: Dim[]): number | null {
  const full = [...new Array<number>(Math.max(0, shape.length - c.dims.length)).fill(1), ...c.dims];
  if (full.length > shape.length) return null;
  const varying = full.map((d, i) => (d !== 1 ? i : -1)).filter((i) => i >= 0);
  if (varying.length === 0) return -1;
  if (varying.length > 1 || varying[0] === 0 || full[varying[0]!] !== shape[varying[0]!]) return null;
  return varying[0]!;
}

/**
 * Elementwise ops. Between run-time tensors: Keras's merge layers (Add, Subtract, Multiply, Maximum,
 * Minimum, Average). With a scalar constant: Rescaling (x·scale + offset). With a per-channel
 * constant: a BatchNormalization computing exactly x·gamma + beta. Other constants have no Keras
 * layer that holds them.
 */
const elementwise: Mapper = (ctx) => {
  const op = ctx.node.op;
  const names = ctx.node.inputs.filter(Boolean);
  const consts = names.map((n) => ctx.graph.constant(n));
  const y = ctx.node.outputs[0]!;
  if (consts.every((c) => !c)) {
    if (op === "Div" || op === "Pow") return ctx.unsupported(`${op} of two run-time tensors has no Keras layer`);
    if (names.length === 1) return [single("Identity", {}, names[0]!, y)];
    return [{ className: MERGE[op]!, config: {}, inputs: names, args: "list", outputs: y ? [y] : [] }];
  }
  if (names.length !== 2 || consts.every((c) => c))
    ctx.unsupported("mixes constants and tensors in a way no Keras layer does");
  const k = consts[0] ? 0 : 1;
  const c = consts[k]!;
  const x = names[1 - k]!;
  const shape = ctx.graph.value(x).shape;
  if (!shape) return ctx.unsupported("runs on a tensor of unknown shape");
  if (op === "Pow" && k === 1 && sizeOf(c.dims) === 1 && numbers(c)[0] === 2) {
    return [{ className: "Multiply", config: {}, inputs: [x, x], args: "list", outputs: [y] }];
  }
  const axis = channelAxisOf(c, shape);
  const vals = numbers(c);
  if (axis === -1) return scalarOp(ctx, op, k, vals[0]!, x, y);
  if (axis === null || !["Add", "Sub", "Mul", "Div"].includes(op)) {
    return ctx.unsupported(
      `${op} with a constant of shape [${c.dims.join(", ")}] against a tensor of shape [${shape.join(", ")}]: Keras layers hold no constant tensors (only per-channel scales and offsets)`,
    );
  }
  if (op === "Div" && k === 0) return ctx.unsupported("divides a constant by a tensor");
  const scale =
    op === "Mul" ? vals : op === "Div" ? vals.map((v) => 1 / v) : op === "Sub" && k === 0 ? vals.map(() => -1) : null;
  const offset = op === "Add" ? vals : op === "Sub" ? (k === 0 ? vals : vals.map((v) => -v)) : null;
  return [affineSpec(ctx, x, y, axis, shape.length, scale, offset)];
};

export function affineSpec(
  ctx: MapContext,
  x: string,
  y: string,
  axis: number,
  rank: number,
  scale: number[] | null,
  offset: number[] | null,
): LayerSpec {
  const n = (scale ?? offset)!.length;
  return single(
    "BatchNormalization",
    { axis: axis === rank - 1 ? -1 : axis, epsilon: 0, center: offset !== null, scale: scale !== null },
    x,
    y,
    {
      ...(scale ? { gamma: { shape: [n], data: Float32Array.from(scale) } } : {}),
      ...(offset ? { beta: { shape: [n], data: Float32Array.from(offset) } } : {}),
      moving_mean: { shape: [n], data: new Float32Array(n) },
      moving_variance: { shape: [n], data: new Float32Array(n).fill(1) },
    },
  );
}

function scalarOp(ctx: MapContext, op: string, k: number, v: number, x: string, y: string): LayerSpec[] {
  const rescale = (scale: number, offset: number) => [single("Rescaling", { scale, offset }, x, y)];
  switch (op) {
    case "Add":
    case "Sum":
      return rescale(1, v);
    case "Sub":
      return k === 1 ? rescale(1, -v) : rescale(-1, v);
    case "Mul":
      return rescale(v, 0);
    case "Div":
      if (k === 0) return ctx.unsupported("divides a constant by a tensor");
      return rescale(1 / v, 0);
    case "Max":
    case "Min": {
      // max(x, v) = relu(x - v) + v; min(x, v) = v - relu(v - x)
      const a = ctx.temp();
      const b = ctx.temp();
      const s = op === "Max" ? 1 : -1;
      return [
        single("Rescaling", { scale: s, offset: -s * v }, x, a),
        single("ReLU", {}, a, b),
        single("Rescaling", { scale: s, offset: v }, b, y),
      ];
    }
    default:
      return ctx.unsupported(`${op} with a constant has no Keras layer`);
  }
}

/** `Concat` of run-time tensors along a non-batch axis → Concatenate(axis). */
const concat: Mapper = (ctx) => {
  const names = ctx.node.inputs.filter(Boolean);
  if (names.some((n) => ctx.graph.isConstant(n)))
    ctx.unsupported("concatenates a constant; Keras layers hold no constant tensors");
  const rank = ctx.shape(0).length;
  const axis = normalizeAxis(ctx.int("axis"), rank);
  if (axis === 0) ctx.unsupported("concatenates along the batch axis");
  return [
    {
      className: "Concatenate",
      config: { axis: axis === rank - 1 ? -1 : axis },
      inputs: names,
      args: "list",
      outputs: [ctx.node.outputs[0]!],
    },
  ];
};

export const mergingMappers: Record<string, Mapper> = { Concat: concat };
for (const op of ["Add", "Sum", "Sub", "Mul", "Div", "Max", "Min", "Mean", "Pow"]) mergingMappers[op] = elementwise;
