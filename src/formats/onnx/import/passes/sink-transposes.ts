import { type Const, int64Const, numbers } from "../const.js";
import { reshapeConst, transposeConst } from "../fold/layout.js";
import type { Dim, ImportGraph, Node } from "../graph.js";
import { normalizeAxis } from "../params.js";
import { permuteAxisParams, permuteSliceAxes } from "./axis-params.js";

/** Channels-first ops that have a channels_last form in Keras (`data_format`, or BN's `axis`). */
export const CHANNELS_FIRST_OPS = new Set([
  "Conv",
  "ConvTranspose",
  "MaxPool",
  "AveragePool",
  "GlobalAveragePool",
  "GlobalMaxPool",
  "BatchNormalization",
  "InstanceNormalization",
  "LRN",
]);

/** Ops that act on every element alike, whatever the layout. */
const ELEMENTWISE = new Set([
  "Relu",
  "LeakyRelu",
  "Elu",
  "Selu",
  "Celu",
  "Sigmoid",
  "HardSigmoid",
  "Tanh",
  "Softplus",
  "Softsign",
  "HardSwish",
  "Mish",
  "Gelu",
  "Erf",
  "Exp",
  "Log",
  "Abs",
  "Neg",
  "Sqrt",
  "Reciprocal",
  "Clip",
  "ThresholdedRelu",
  "Identity",
  "Cast",
  "Floor",
  "Ceil",
  "Round",
  "Sign",
  "Add",
  "Sub",
  "Mul",
  "Div",
  "Pow",
  "Max",
  "Min",
  "Mean",
  "Sum",
  "PRelu",
]);

/** Marks a transpose the sinking leaves where it is. */
const PINNED = "kg_pinned";

/** The attribute marking a channels-first op converted to channels_last. */
export const CHANNELS_LAST = "kg_channels_last";

/** [0, r-1, 1, ..., r-2]: the transpose that shows a channels-last tensor as channels-first. */
export function channelsFirstPerm(rank: number): number[] {
  return [0, rank - 1, ...Array.from({ length: rank - 2 }, (_, i) => i + 1)];
}

const inverse = (perm: number[]) => {
  const out = new Array<number>(perm.length);
  perm.forEach((p, i) => (out[p] = i));
  return out;
};
const isIdentity = (perm: number[]) => perm.every((p, i) => p === i);
const permOf = (g: ImportGraph, t: Node): number[] => {
  const rank = g.value(t.inputs[0]!).shape?.length ?? 0;
  return (t.attrs.perm as number[] | undefined) ?? Array.from({ length: rank }, (_, i) => rank - 1 - i);
};

/**
 * Pushes every Transpose down through the nodes after it, so that transposes meet their inverses and
 * vanish: through elementwise ops (constant operands transposed to match), axis ops (Softmax, Concat,
 * reductions: axes renumbered) and channels-first ops fed a channels-last tensor made channels-first
 * (Conv, pooling, BatchNormalization, ...: they become channels_last). A channels-first region between
 * a transpose in and a transpose out — what Keras's own exporters and tf2onnx write around every
 * convolution — becomes channels_last with no transposes. Returns how many nodes moved.
 *
 * With `forceChannelsLast`, a channels-first input feeding such ops gets a transpose pair first (to
 * channels-last and back), so the whole region turns channels_last behind one Permute at the input.
 */
export function sinkTransposes(g: ImportGraph, options: { forceChannelsLast?: boolean } = {}): number {
  if (options.forceChannelsLast) insertInputPairs(g);
  let moved = 0;
  for (let changed = true; changed;) {
    changed = false;
    for (const t of [...g.nodes]) {
      if (t.op !== "Transpose" || t.domain || t.attrs[PINNED] === 1 || !g.has(t) || g.isConstant(t.inputs[0]!))
        continue;
      for (const c of g.consumers(t.outputs[0]!)) {
        if (g.has(t) && push(g, t, c)) {
          changed = true;
          moved++;
        }
      }
      if (g.has(t) && g.useCount(t.outputs[0]!) === 0) g.removeNode(t);
    }
  }
  g.sort();
  return moved;
}

function insertInputPairs(g: ImportGraph): void {
  for (const name of g.inputs) {
    const v = g.value(name);
    const rank = v.shape?.length ?? 0;
    if (rank < 3 || !g.consumers(name).some((c) => CHANNELS_FIRST_OPS.has(c.op) || ELEMENTWISE.has(c.op))) continue;
    const cf = channelsFirstPerm(rank);
    const cl = inverse(cf);
    const lastShape = cl.map((p) => v.shape![p]!);
    const last = g.addValue(`${name}_channels_last`, lastShape, v.dtype);
    const first = g.addValue(`${name}_channels_first`, [...v.shape!], v.dtype);
    g.replaceUses(name, first.name);
    // Pinned: it is the input's Permute and must not cancel against its partner before that one sinks.
    g.addNode({ op: "Transpose", inputs: [name], outputs: [last.name], attrs: { perm: cl, [PINNED]: 1 } }, g.nodes[0]);
    g.addNode({ op: "Transpose", inputs: [last.name], outputs: [first.name], attrs: { perm: cf } }, g.nodes[1]);
  }
  g.sort();
}

/** Tries to move transpose `t` below its consumer `c`; true when it did. */
function push(g: ImportGraph, t: Node, c: Node): boolean {
  if (c.domain) return false;
  const perm = permOf(g, t);
  const y = t.outputs[0]!;
  const x = t.inputs[0]!;
  if (c.op === "Transpose") {
    const q = permOf(g, c);
    const composed = q.map((i) => perm[i]!);
    if (isIdentity(composed)) g.replaceUses(c.outputs[0]!, x);
    else {
      c.inputs = [x];
      c.attrs = { perm: composed };
      g.touch(c);
    }
    if (isIdentity(composed)) g.removeNode(c);
    return true;
  }
  if (c.outputs.filter((o) => o && g.useCount(o) > 0).length > 1) return false;
  const rank = perm.length;
  let outPerm = perm;
  if (c.op === "Clip") {
    // min / max are scalars, not operands to broadcast.
    if (c.inputs[0] !== y) return false;
    c.inputs[0] = x;
  } else if (ELEMENTWISE.has(c.op)) {
    if (!rewriteOperands(g, c, y, x, perm)) return false;
  } else if (c.op === "Softmax" || c.op === "LogSoftmax" || c.op === "Hardmax") {
    const axis = normalizeAxis(Number(c.attrs.axis ?? (g.opset >= 13 ? -1 : 1)), rank);
    if (g.opset < 13 && axis !== rank - 1) return false;
    c.inputs[0] = x;
    c.attrs = { ...c.attrs, axis: perm[axis]! };
  } else if (c.op === "Concat") {
    const axis = normalizeAxis(Number(c.attrs.axis), rank);
    if (!rewriteOperands(g, c, y, x, perm)) return false;
    c.attrs = { ...c.attrs, axis: perm[axis]! };
  } else if (c.op.startsWith("Reduce") && typeof c.attrs.axes === "object") {
    const axes = (c.attrs.axes as number[]).map((a) => normalizeAxis(a, rank));
    c.inputs[0] = x;
    c.attrs = { ...c.attrs, axes: axes.map((a) => perm[a]!) };
    if (c.attrs.keepdims === 0) outPerm = reducedPerm(perm, axes);
  } else if (c.op.startsWith("Reduce") && g.isConstant(c.inputs[1] ?? "")) {
    const axes = numbers(g.constant(c.inputs[1]!)!).map((a) => normalizeAxis(a, rank));
    c.inputs[0] = x;
    c.inputs[1] = g.addValue(`${c.name}_axes`, [axes.length], "int64", {
      value: int64Const(axes.map((a) => perm[a]!)),
    }).name;
    if (c.attrs.keepdims === 0) outPerm = reducedPerm(perm, axes);
  } else if (c.op === "Slice") {
    if (c.inputs[0] !== y || !permuteSliceAxes(g, c, perm)) return false;
    c.inputs[0] = x;
  } else if (c.op === "Resize" || c.op === "Upsample" || c.op === "Pad") {
    if (c.inputs[0] !== y || !permuteAxisParams(g, c, perm)) return false;
    c.inputs[0] = x;
  } else if (CHANNELS_FIRST_OPS.has(c.op)) {
    if (c.inputs[0] !== y || c.attrs[CHANNELS_LAST] === 1 || rank < 3) return false;
    if (!perm.every((p, i) => p === channelsFirstPerm(rank)[i])) return false;
    c.inputs[0] = x;
    c.attrs = { ...c.attrs, [CHANNELS_LAST]: 1 };
  } else return false;
  g.touch(c);
  moveOutput(g, c, outPerm);
  return true;
}

/** The transpose that follows a keepdims=0 reduction of a transposed tensor. */
function reducedPerm(perm: number[], axes: number[]): number[] {
  const kept = perm.filter((_, i) => !axes.includes(i));
  const sorted = [...kept].sort((a, b) => a - b);
  return kept.map((p) => sorted.indexOf(p));
}

/**
 * Makes an elementwise / Concat node read the transposed tensor's source: `y` becomes `x`, other
 * transposes with the same perm are looked through, constants are transposed to match. False (nothing
 * changed) when another operand is a run-time tensor of another layout.
 */
function rewriteOperands(g: ImportGraph, c: Node, y: string, x: string, perm: number[]): boolean {
  const rank = perm.length;
  const inv = inverse(perm);
  const plan = c.inputs.map((name): string | null => {
    if (!name || name === y) return x;
    const k = g.constant(name);
    if (k) {
      if (k.dims.length > rank) return null;
      const full = reshapeConst(k, [...new Array<number>(rank - k.dims.length).fill(1), ...k.dims]);
      return addConst(g, `${name}_t`, transposeConst(full, inv));
    }
    const p = g.producer(name);
    if (p && p.op === "Transpose" && !p.domain && permOf(g, p).every((v, i) => v === perm[i])) return p.inputs[0]!;
    return null;
  });
  if (plan.some((p) => p === null)) return false;
  c.inputs = plan as string[];
  g.touch(c);
  return true;
}

function addConst(g: ImportGraph, base: string, c: Const): string {
  return g.addValue(base, [...c.dims], c.dtype, { value: c }).name;
}

/** Gives `c` a new output in its new layout and puts Transpose(perm) between it and the old readers. */
function moveOutput(g: ImportGraph, c: Node, perm: number[]): void {
  const o = c.outputs[0]!;
  const old = g.value(o);
  const inv = inverse(perm);
  const shape: Dim[] | null = old.shape ? inv.map((i) => old.shape![i]!) : null;
  const z = g.addValue(`${o}_moved`, shape, old.dtype);
  c.outputs[0] = z.name;
  g.touch(c);
  const at = g.nodes.indexOf(c);
  g.addNode({ op: "Transpose", inputs: [z.name], outputs: [o], attrs: { perm } }, g.nodes[at + 1]);
}
