import type { OnnxNode, OnnxTensor } from "../model.js";

/** A static shape: dims (null = unknown), or null when even the rank is unknown. */
export type StaticShape = (number | null)[] | null;

type Lookup = {
  shape(v: string): StaticShape;
  constant(v: string): OnnxTensor | undefined;
};

const ints = (t: OnnxTensor | undefined): number[] | null =>
  t ? Array.from(t.data as ArrayLike<number | bigint>, Number) : null;
const attrInt = (n: OnnxNode, k: string, d: number) => (n.attributes[k]?.value as number | undefined) ?? d;
const attrInts = (n: OnnxNode, k: string) => n.attributes[k]?.value as number[] | undefined;
const norm = (a: number, r: number) => (a < 0 ? a + r : a);

/** Numpy-style broadcasting of known shapes; throws on two different known sizes (neither 1). */
export function broadcast(shapes: (number | null)[][]): (number | null)[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: (number | null)[] = [];
  for (let i = 0; i < rank; i++) {
    const dims = shapes.map((s) => {
      const j = s.length - rank + i;
      return j < 0 ? 1 : s[j]!;
    });
    const known = dims.filter((d): d is number => d !== null && d !== 1);
    if (new Set(known).size > 1)
      throw new Error(`cannot broadcast shapes ${shapes.map((s) => `(${s.join(",")})`).join(" and ")}`);
    out.push(known.length ? known[0]! : dims.some((d) => d === null) ? null : 1);
  }
  return out;
}

function convOut(n: OnnxNode, x: (number | null)[], w: StaticShape, transpose: boolean): (number | null)[] {
  const r = x.length - 2;
  const k = attrInts(n, "kernel_shape") ?? (w ? (w.slice(2) as number[]) : Array<number>(r).fill(1));
  const s = attrInts(n, "strides") ?? Array<number>(r).fill(1);
  const d = attrInts(n, "dilations") ?? Array<number>(r).fill(1);
  const pads = attrInts(n, "pads") ?? Array<number>(2 * r).fill(0);
  const auto = (n.attributes.auto_pad?.value as string | undefined) ?? "NOTSET";
  const op = attrInts(n, "output_padding") ?? Array<number>(r).fill(0);
  const channels = n.opType === "Conv" ? (w?.[0] ?? null) : n.opType === "ConvTranspose" ? (w?.[1] ?? null) : x[1]!;
  const group = attrInt(n, "group", 1);
  const spatial = x.slice(2).map((size, i) => {
    if (size === null) return null;
    const ke = (k[i]! - 1) * d[i]! + 1;
    if (transpose) return s[i]! * (size - 1) + op[i]! + ke - pads[i]! - pads[i + r]!;
    if (auto.startsWith("SAME")) return Math.ceil(size / s[i]!);
    return Math.floor((size + pads[i]! + pads[i + r]! - ke) / s[i]!) + 1;
  });
  return [x[0]!, n.opType === "ConvTranspose" && channels !== null ? channels * group : channels, ...spatial];
}

/**
 * Static shape inference for the ops kerasgraph emits (others: unknown). Used to check each node's
 * inputs against the op's rules and the declared output shapes against what the graph computes.
 */
export function inferShapes(n: OnnxNode, ins: StaticShape[], g: Lookup): StaticShape[] {
  const x = ins[0] ?? null;
  const op = n.opType;
  const sameAsInput = [x];
  switch (op) {
    case "Add":
    case "Sub":
    case "Mul":
    case "Div":
    case "Max":
    case "Min":
    case "Sum":
    case "Mean":
    case "Pow":
    case "PRelu":
    case "Equal":
    case "Greater":
    case "Less":
    case "GreaterOrEqual":
    case "LessOrEqual":
    case "And":
    case "Or":
    case "Where":
      return ins.every((s) => s !== null) ? [broadcast(ins as (number | null)[][])] : [null];
    case "Relu":
    case "Sigmoid":
    case "Tanh":
    case "Elu":
    case "Selu":
    case "LeakyRelu":
    case "HardSigmoid":
    case "HardSwish":
    case "Softplus":
    case "Softsign":
    case "Exp":
    case "Log":
    case "Abs":
    case "Neg":
    case "Sqrt":
    case "Reciprocal":
    case "Round":
    case "Erf":
    case "Clip":
    case "Cast":
    case "Identity":
    case "Mish":
    case "Gelu":
    case "ThresholdedRelu":
    case "Celu":
    case "Shrink":
    case "IsNaN":
    case "Not":
    case "Softmax":
    case "LogSoftmax":
    case "LayerNormalization":
      return sameAsInput;
    case "MatMul": {
      const b = ins[1];
      if (!x || !b) return [null];
      if (x.length < 2 || b.length < 2) return [null];
      const lead = broadcast([x.slice(0, -2), b.slice(0, -2)]);
      if (x.at(-1) !== null && b.at(-2) !== null && x.at(-1) !== b.at(-2))
        throw new Error(`MatMul inner dims differ: ${x.at(-1)} and ${b.at(-2)}`);
      return [[...lead, x.at(-2)!, b.at(-1)!]];
    }
    case "Gemm": {
      const b = ins[1];
      if (!x || !b) return [null];
      if (x.length !== 2 || b.length !== 2) throw new Error("Gemm needs rank-2 A and B");
      const [m, ka] = attrInt(n, "transA", 0) ? [x[1]!, x[0]!] : [x[0]!, x[1]!];
      const [kb, nn] = attrInt(n, "transB", 0) ? [b[1]!, b[0]!] : [b[0]!, b[1]!];
      if (ka !== null && kb !== null && ka !== kb) throw new Error(`Gemm inner dims differ: ${ka} and ${kb}`);
      return [[m, nn]];
    }
    case "Conv":
    case "ConvTranspose":
    case "MaxPool":
    case "AveragePool":
      if (!x) return [null];
      if (ins[1] && ins[1].length !== x.length)
        throw new Error(`${op} weight rank ${ins[1].length} differs from input rank ${x.length}`);
      return [convOut(n, x, ins[1] ?? null, op === "ConvTranspose")];
    case "Transpose": {
      const perm = attrInts(n, "perm");
      if (!x) return [null];
      const p = perm ?? x.map((_, i) => x.length - 1 - i);
      if (p.length !== x.length || [...p].sort((a, b) => a - b).some((v, i) => v !== i))
        throw new Error(`perm ${p} is not a permutation of rank ${x.length}`);
      return [p.map((i) => x[i]!)];
    }
    case "Reshape": {
      const target = ints(g.constant(n.inputs[1]!));
      if (!target) return [null];
      const out = target.map((d, i) => (d === 0 ? (x?.[i] ?? null) : d === -1 ? null : d));
      // -1 is what is left: dims copied by 0 cancel out, the rest of the input must be known.
      const rest = x?.filter((_, i) => target[i] !== 0);
      if (rest && rest.every((d) => d !== null) && target.includes(-1)) {
        const total = (rest as number[]).reduce((a, b) => a * b, 1);
        const known = target.filter((d) => d > 0).reduce((a, b) => a * b, 1);
        out[target.indexOf(-1)] = total / known;
      }
      return [out];
    }
    case "Concat": {
      if (ins.some((s) => s === null)) return [null];
      const shapes = ins as (number | null)[][];
      const axis = norm(attrInt(n, "axis", 0), shapes[0]!.length);
      const out = [...shapes[0]!];
      out[axis] = shapes.some((s) => s[axis] === null) ? null : shapes.reduce((a, s) => a + s[axis]!, 0);
      return [out];
    }
    case "ReduceMean":
    case "ReduceMax":
    case "ReduceMin":
    case "ReduceSum":
    case "ReduceProd":
    case "ReduceL2":
    case "ReduceSumSquare": {
      if (!x) return [null];
      const axes = (n.inputs[1] ? ints(g.constant(n.inputs[1])) : attrInts(n, "axes")) ?? x.map((_, i) => i);
      const set = new Set(axes.map((a) => norm(a, x.length)));
      const keep = attrInt(n, "keepdims", 1) === 1;
      return [x.flatMap((d, i) => (set.has(i) ? (keep ? [1] : []) : [d]))];
    }
    case "Unsqueeze": {
      const axes = ints(g.constant(n.inputs[1]!));
      if (!x || !axes) return [null];
      const rank = x.length + axes.length;
      const set = new Set(axes.map((a) => norm(a, rank)));
      const out: (number | null)[] = [];
      let j = 0;
      for (let i = 0; i < rank; i++) out.push(set.has(i) ? 1 : x[j++]!);
      return [out];
    }
    case "Squeeze": {
      const axes = ints(g.constant(n.inputs[1] ?? ""));
      if (!x || !axes) return [null];
      const set = new Set(axes.map((a) => norm(a, x.length)));
      for (const a of set) if (x[a] !== null && x[a] !== 1) throw new Error(`Squeeze axis ${a} has size ${x[a]}`);
      return [x.filter((_, i) => !set.has(i))];
    }
    case "Gather": {
      const idx = ins[1];
      if (!x || !idx) return [null];
      const axis = norm(attrInt(n, "axis", 0), x.length);
      return [[...x.slice(0, axis), ...idx, ...x.slice(axis + 1)]];
    }
    case "Slice": {
      const [starts, ends, axes, steps] = [1, 2, 3, 4].map((i) => ints(g.constant(n.inputs[i] ?? "")));
      if (!x || !starts || !ends) return [null];
      const out = [...x];
      starts.forEach((s0, k) => {
        const a = norm(axes?.[k] ?? k, x.length);
        const size = x[a];
        const step = steps?.[k] ?? 1;
        if (size === null || size === undefined) return (out[a] = null);
        const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
        const fix = (v: number) => (v < 0 ? v + size : v);
        const s = step > 0 ? clamp(fix(s0), 0, size) : clamp(fix(s0), -1, size - 1);
        const e = step > 0 ? clamp(fix(ends[k]!), 0, size) : clamp(fix(ends[k]!), -1, size - 1);
        out[a] = Math.max(0, Math.ceil((e - s) / step));
      });
      return [out];
    }
    case "Pad": {
      const pads = ints(g.constant(n.inputs[1]!));
      if (!x || !pads) return [null];
      return [x.map((d, i) => (d === null ? null : d + pads[i]! + pads[i + x.length]!))];
    }
    case "Resize": {
      const scales = g.constant(n.inputs[2] ?? "");
      const sizes = ints(g.constant(n.inputs[3] ?? ""));
      if (!x) return [null];
      if (sizes) return [sizes];
      if (!scales) return [null];
      const s = Array.from(scales.data as Float32Array);
      return [x.map((d, i) => (d === null ? null : Math.floor(d * s[i]!)))];
    }
    case "Expand": {
      const shape = ints(g.constant(n.inputs[1]!));
      return x && shape ? [broadcast([x, shape])] : [null];
    }
    case "Tile": {
      const reps = ints(g.constant(n.inputs[1]!));
      return x && reps ? [x.map((d, i) => (d === null ? null : d * reps[i]!))] : [null];
    }
    case "GatherElements":
      return [ins[1] ?? null];
    case "CumSum":
      return sameAsInput;
    case "TopK": {
      if (!x) return [null, null];
      const axis = norm(attrInt(n, "axis", -1), x.length);
      const k = ints(g.constant(n.inputs[1]!));
      const out = x.map((d, i) => (i === axis ? (k ? k[0]! : null) : d));
      return [out, out];
    }
    case "Range":
      return [[null]];
    case "Shape":
      return [x ? [x.length] : [null]];
    case "Split": {
      const sizes = ints(g.constant(n.inputs[1] ?? ""));
      if (!x || !sizes) return n.outputs.map(() => null);
      const axis = norm(attrInt(n, "axis", 0), x.length);
      return sizes.map((s) => x.map((d, i) => (i === axis ? s : d)));
    }
    case "OneHot": {
      const depth = ints(g.constant(n.inputs[1]!));
      if (!x || !depth) return [null];
      const axis = norm(attrInt(n, "axis", -1), x.length + 1);
      const out = [...x];
      out.splice(axis, 0, depth[0]!);
      return [out];
    }
    case "Einsum": {
      const eq = String(n.attributes.equation?.value ?? "");
      const [lhs, rhs] = eq.split("->");
      if (!rhs || !lhs || ins.some((s) => s === null)) return [null];
      const dims = new Map<string, number | null>();
      lhs.split(",").forEach((term, k) =>
        [...term].forEach((c, i) => {
          const d = ins[k]![i] ?? null;
          const had = dims.get(c);
          if (had !== undefined && had !== null && d !== null && had !== d)
            throw new Error(`Einsum index '${c}' has sizes ${had} and ${d}`);
          if (had === undefined || had === null) dims.set(c, d);
        }),
      );
      return [[...rhs].map((c) => dims.get(c) ?? null)];
    }
    case "LSTM":
    case "GRU":
    case "RNN": {
      const h = attrInt(n, "hidden_size", 0);
      const w = ins[1];
      const dirs = n.attributes.direction?.value === "bidirectional" ? 2 : 1;
      const gates = op === "LSTM" ? 4 : op === "GRU" ? 3 : 1;
      if (w && (w[0] !== dirs || w[1] !== gates * h))
        throw new Error(`${op} W has shape (${w.join(",")}), expected (${dirs}, ${gates * h}, input)`);
      if (x && w && x[2] !== null && w[2] !== x[2])
        throw new Error(`${op} W input size ${w[2]} differs from X's ${x[2]}`);
      const [t, b] = x ? [x[0]!, x[1]!] : [null, null];
      const state: StaticShape = [dirs, b, h];
      return [[t, dirs, b, h], state, state].slice(0, n.outputs.length);
    }
    default:
      return n.outputs.map(() => null);
  }
}
