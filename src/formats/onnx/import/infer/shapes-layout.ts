import { sliceRange } from "../fold/layout.js";
import { broadcastShapes } from "../fold/broadcast.js";
import type { Dim, Value } from "../graph.js";
import { normalizeAxis, padParams, sliceParams, splitSizes, squeezeAxes, unsqueezeAxes } from "../params.js";
import { resolveReshape } from "../reshape-target.js";
import { type ShapeRule, sameDtype, shapeValues } from "./rule.js";

/** Shape rules of the ops that move, select or repeat data without computing on it. */
export const LAYOUT_RULES: Record<string, ShapeRule> = {
  Reshape: (r, ins) => {
    const target = r.graph.opset < 5 ? r.ints("shape") : shapeValues(ins[1]);
    if (!ins[0]?.shape || !target) return sameDtype(ins, null);
    return sameDtype(ins, resolveReshape(r, ins[0].shape, target));
  },
  Flatten: (r, ins) => {
    const x = ins[0]?.shape;
    if (!x) return sameDtype(ins, null);
    const axis = normalizeAxis(r.int("axis", 1), x.length);
    const prod = (dims: Dim[]): Dim => {
      if (dims.length === 1) return dims[0]!;
      return dims.every((d) => typeof d === "number")
        ? (dims as number[]).reduce((a, b) => a * b, 1)
        : r.graph.freshSymbol("flatten");
    };
    return sameDtype(ins, [prod(x.slice(0, axis)), prod(x.slice(axis))]);
  },
  Transpose: (r, ins) => {
    const x = ins[0]?.shape;
    if (!x) return sameDtype(ins, null);
    const perm = r.ints(
      "perm",
      x.map((_, i) => x.length - 1 - i),
    );
    return sameDtype(
      ins,
      perm.map((p) => x[p]!),
    );
  },
  Squeeze: (r, ins) => {
    const x = ins[0]?.shape;
    if (!x) return sameDtype(ins, null);
    const axes = squeezeAxes(r)?.map((a) => normalizeAxis(a, x.length));
    return sameDtype(
      ins,
      x.filter((d, i) => (axes ? !axes.includes(i) : d !== 1)),
    );
  },
  Unsqueeze: (r, ins) => {
    const x = ins[0]?.shape;
    if (!x) return sameDtype(ins, null);
    const out = [...x];
    const axes = unsqueezeAxes(r);
    for (const a of axes.map((v) => normalizeAxis(v, x.length + axes.length)).sort((p, q) => p - q))
      out.splice(a, 0, 1);
    return sameDtype(ins, out);
  },
  Concat: (r, ins) => {
    const shapes = ins.filter((v): v is Value => !!v).map((v) => v.shape);
    if (shapes.some((s) => !s)) return sameDtype(ins, null);
    const nonEmpty = (shapes as Dim[][]).filter((s) => !s.includes(0));
    const first = nonEmpty[0] ?? shapes[0]!;
    const axis = normalizeAxis(r.int("axis"), first.length);
    const parts = nonEmpty.map((s) => s[axis]!);
    const total = parts.every((d) => typeof d === "number")
      ? (parts as number[]).reduce((a, b) => a + b, 0)
      : r.graph.freshSymbol("concat");
    return sameDtype(
      ins,
      first.map((d, i) => (i === axis ? total : d)),
    );
  },
  Split: (r, ins) => {
    const x = ins[0]?.shape;
    if (!x) return r.node.outputs.map(() => ({ shape: null, dtype: ins[0]?.dtype ?? "float32" }));
    const axis = normalizeAxis(r.int("axis", 0), x.length);
    const sizes = splitSizes(r, x[axis]!, r.node.outputs.length);
    return r.node.outputs.map((_, k) => ({
      shape: x.map((d, i) => (i === axis ? (sizes?.[k] ?? r.graph.freshSymbol("split")) : d)),
      dtype: ins[0]!.dtype,
    }));
  },
  Slice: (r, ins) => {
    const x = ins[0]?.shape;
    if (!x) return sameDtype(ins, null);
    const p = sliceParams(r, x.length);
    const out = [...x];
    p.axes.forEach((a, k) => {
      const n = x[a]!;
      out[a] =
        typeof n === "number"
          ? sliceRange(n, p.starts[k]!, p.ends[k]!, p.steps[k]!).length
          : r.graph.freshSymbol("slice");
    });
    return sameDtype(ins, out);
  },
  Gather: (r, ins) => {
    const x = ins[0]?.shape;
    const idx = ins[1]?.shape;
    if (!x || !idx) return sameDtype(ins, null);
    const axis = normalizeAxis(r.int("axis", 0), x.length);
    return sameDtype(ins, [...x.slice(0, axis), ...idx, ...x.slice(axis + 1)]);
  },
  Pad: (r, ins) => {
    const x = ins[0]?.shape;
    if (!x) return sameDtype(ins, null);
    const { pads } = padParams(r, x.length);
    return sameDtype(
      ins,
      x.map((d, i) => (typeof d === "number" ? d + pads[i]! + pads[i + x.length]! : d)),
    );
  },
  Expand: (_r, ins) => {
    const target = shapeValues(ins[1]);
    if (!ins[0]?.shape || !target) return sameDtype(ins, null);
    return sameDtype(ins, broadcastShapes([ins[0].shape, target]));
  },
  Tile: (r, ins) => {
    const x = ins[0]?.shape;
    const reps = r.constNumbers(1, "repeats");
    if (!x || !reps) return sameDtype(ins, null);
    return sameDtype(
      ins,
      x.map((d, i) => (typeof d === "number" ? d * reps[i]! : reps[i] === 1 ? d : r.graph.freshSymbol("tile"))),
    );
  },
};
