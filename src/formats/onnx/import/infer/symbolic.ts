import type { NodeReader } from "../attrs.js";
import { numbers } from "../const.js";
import { sliceRange } from "../fold/layout.js";
import type { Dim, Value } from "../graph.js";
import { normalizeAxis, sliceParams } from "../params.js";

/**
 * Shape arithmetic over symbols: the ops exporters use to compute reshape targets from `Shape(x)`
 * (Gather, Concat, Unsqueeze, Slice, Mul, ...), on 0-D / 1-D int tensors whose items are sizes or
 * run-time symbols. Returns the items of the output, or undefined when the op cannot be followed.
 */
export type SymbolicRule = (
  r: NodeReader,
  items: (Dim[] | undefined)[],
  ins: (Value | undefined)[],
) => Dim[] | undefined;

function arithmetic(op: (a: number, b: number) => number, identity: number): SymbolicRule {
  return (r, items) => {
    const [a, b] = items;
    if (!a || !b) return undefined;
    const n = Math.max(a.length, b.length);
    if (a.length !== n && a.length !== 1) return undefined;
    if (b.length !== n && b.length !== 1) return undefined;
    return Array.from({ length: n }, (_, i) => {
      const x = a[a.length === 1 ? 0 : i]!;
      const y = b[b.length === 1 ? 0 : i]!;
      if (typeof x === "number" && typeof y === "number") return op(x, y);
      if (y === identity) return x;
      if (x === identity && op(identity, 2) === 2) return y;
      return r.graph.freshSymbol("arith");
    });
  };
}

export const SYMBOLIC_RULES: Record<string, SymbolicRule> = {
  Shape: (r, _items, ins) => {
    const s = ins[0]?.shape;
    if (!s) return undefined;
    const start = normalizeAxis(r.int("start", 0), s.length);
    const end = r.has("end") ? normalizeAxis(r.int("end"), s.length) : s.length;
    return s.slice(Math.max(0, start), Math.min(s.length, end));
  },
  Identity: (_r, items) => items[0],
  Cast: (_r, items) => items[0],
  Gather: (r, items) => {
    const [data, idx] = items;
    if (!data || !idx || r.int("axis", 0) !== 0) return undefined;
    return idx
      .map((i) => (typeof i === "number" ? data[i < 0 ? i + data.length : i] : undefined))
      .every((d) => d !== undefined)
      ? idx.map((i) => data[(i as number) < 0 ? (i as number) + data.length : (i as number)]!)
      : undefined;
  },
  Unsqueeze: (_r, items) => items[0],
  Squeeze: (_r, items) => items[0],
  Concat: (_r, items) => (items.every((i) => i) ? items.flatMap((i) => i!) : undefined),
  Slice: (r, items) => {
    const x = items[0];
    if (!x) return undefined;
    const p = sliceParams(r, 1);
    if (p.axes.some((a) => a !== 0)) return undefined;
    return sliceRange(x.length, p.starts[0]!, p.ends[0]!, p.steps[0]!).map((i) => x[i]!);
  },
  Mul: arithmetic((a, b) => a * b, 1),
  Add: arithmetic((a, b) => a + b, 0),
  Sub: arithmetic((a, b) => a - b, 0),
  Div: arithmetic((a, b) => Math.trunc(a / b), 1),
  ReduceProd: (r, items) => {
    const x = items[0];
    if (!x) return undefined;
    if (x.every((d) => typeof d === "number")) return [(x as number[]).reduce((a, b) => a * b, 1)];
    const syms = x.filter((d) => typeof d !== "number");
    const rest = (x.filter((d) => typeof d === "number") as number[]).reduce((a, b) => a * b, 1);
    return syms.length === 1 && rest === 1 ? [syms[0]!] : [r.graph.freshSymbol("prod")];
  },
};

/** The items a value stands for: its constant's numbers, or its symbolic items. */
export function itemsOf(v: Value | undefined): Dim[] | undefined {
  if (!v) return undefined;
  if (v.value && v.value.data.length <= 64 && !v.value.dtype.startsWith("float")) return numbers(v.value);
  return v.symbolic;
}
