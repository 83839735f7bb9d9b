import type { NodeReader } from "./attrs.js";

/**
 * Parameters that moved from attributes to inputs across opsets, read the way each opset gives them
 * (the opset is the model's). Inputs must be constant.
 */

export const normalizeAxis = (axis: number, rank: number) => (axis < 0 ? axis + rank : axis);

/** Squeeze's axes (attribute before opset 13, input from 13); undefined = every size-1 axis. */
export function squeezeAxes(r: NodeReader): number[] | undefined {
  return r.intsAttrOrInput("axes", 1, 13);
}

export function unsqueezeAxes(r: NodeReader): number[] {
  const axes = r.intsAttrOrInput("axes", 1, 13);
  if (!axes) return r.unsupported("has no axes");
  return axes;
}

/** Slice's starts, ends, axes, steps (attributes before opset 10). */
export function sliceParams(
  r: NodeReader,
  rank: number,
): { starts: number[]; ends: number[]; axes: number[]; steps: number[] } {
  if (r.graph.opset < 10) {
    const starts = r.ints("starts");
    const axes = r.ints(
      "axes",
      starts.map((_, i) => i),
    );
    return { starts, ends: r.ints("ends"), axes: axes.map((a) => normalizeAxis(a, rank)), steps: starts.map(() => 1) };
  }
  const starts = r.constNumbers(1, "starts")!;
  const ends = r.constNumbers(2, "ends")!;
  const axes = r.constNumbers(
    3,
    "axes",
    starts.map((_, i) => i),
  )!;
  const steps = r.constNumbers(
    4,
    "steps",
    starts.map(() => 1),
  )!;
  // INT64_MAX / INT64_MIN arrive as ±9.2e18: keep them as "to the end".
  return { starts, ends, axes: axes.map((a) => normalizeAxis(a, rank)), steps };
}

/** Split's part sizes along `axis` of size `n` into `count` outputs. */
export function splitSizes(r: NodeReader, n: number | string, count: number): number[] | null {
  const given =
    r.graph.opset < 13 || r.has("split") ? (r.has("split") ? r.ints("split") : undefined) : r.constNumbers(1, "split");
  if (given) return given;
  if (typeof n !== "number") return null;
  const parts = r.has("num_outputs") ? r.int("num_outputs") : count;
  const size = Math.ceil(n / parts);
  return Array.from({ length: count }, (_, i) => Math.min(size, n - i * size));
}

/** Reduce ops' axes: an attribute, or (ReduceSum from 13, the others from 18) an input. */
export function reduceAxes(r: NodeReader, rank: number): number[] {
  const since = r.node.op === "ReduceSum" ? 13 : 18;
  const axes = r.intsAttrOrInput("axes", 1, since);
  if (!axes || axes.length === 0) {
    if (r.int("noop_with_empty_axes", 0) === 1) return [];
    return Array.from({ length: rank }, (_, i) => i);
  }
  return axes.map((a) => normalizeAxis(a, rank));
}

/** Pad's per-axis (begin, end) pads, mode and constant value (attributes before opset 11). */
export function padParams(r: NodeReader, rank: number): { pads: number[]; mode: string; value: number } {
  const mode = r.string("mode", "constant");
  if (r.graph.opset < 11) {
    return { pads: r.ints(r.has("pads") ? "pads" : "paddings"), mode, value: r.float("value", 0) };
  }
  const raw = r.constNumbers(1, "pads")!;
  const value = r.constNumbers(2, "constant_value", [0])![0] ?? 0;
  const axes = r.constNumbers(3, "axes");
  if (!axes) return { pads: raw, mode, value };
  const pads = new Array<number>(2 * rank).fill(0);
  axes.forEach((a, i) => {
    const ax = normalizeAxis(a, rank);
    pads[ax] = raw[i]!;
    pads[ax + rank] = raw[i + axes.length]!;
  });
  return { pads, mode, value };
}
