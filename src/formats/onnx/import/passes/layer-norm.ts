import { numbers, scalarOf } from "../const.js";
import type { Dim, ImportGraph, Node } from "../graph.js";
import { normalizeAxis } from "../params.js";

export function reduceAxes(g: ImportGraph, n: Node, rank: number): number[] | null {
  if (n.op !== "ReduceMean" || n.domain || n.attrs.keepdims === 0) return null;
  if (Array.isArray(n.attrs.axes))
    return (n.attrs.axes as number[]).map((a) => normalizeAxis(a, rank)).sort((a, b) => a - b);
  const c = n.inputs[1] ? g.constant(n.inputs[1]) : undefined;
  return c
    ? numbers(c)
        .map((a) => normalizeAxis(a, rank))
        .sort((a, b) => a - b)
    : null;
}

export const producer = (g: ImportGraph, v: string, op: string) => {
  const p = g.producer(v);
  return p && !p.domain && p.op === op ? p : undefined;
};

export function soleUser(g: ImportGraph, v: string, op: string): Node | undefined {
  const users = g.consumers(v);
  if (users.length !== 1 || g.outputs.includes(v) || users[0]!.op !== op || users[0]!.domain) return undefined;
  return users[0];
}

/**
 * The constant operand of `n` (a Mul / Add after the normalization) when it only varies along the
 * normalized axes, with their sizes (γ and β of Keras's LayerNormalization).
 */
export function affineOperand(
  g: ImportGraph,
  n: Node | undefined,
  from: string,
  shape: Dim[],
  axes: number[],
): string | undefined {
  if (!n || n.inputs.length !== 2) return undefined;
  const k = n.inputs[0] === from ? 1 : n.inputs[1] === from ? 0 : -1;
  if (k < 0) return undefined;
  const c = g.constant(n.inputs[k]!);
  if (!c || c.dims.length > shape.length) return undefined;
  const full = [...new Array<number>(shape.length - c.dims.length).fill(1), ...c.dims];
  const fits = full.every((d, i) => (axes.includes(i) ? d === shape[i] : d === 1));
  return fits ? n.inputs[k] : undefined;
}

/** `d / s` or `d · (1 / s)`: the node that divides `d` by the standard deviation `s`, if any. */
export function normalized(g: ImportGraph, d: string, s: string): Node | undefined {
  for (const n of g.consumers(s)) {
    if (n.domain) continue;
    if (n.op === "Div" && n.inputs[0] === d && n.inputs[1] === s) return n;
    if (n.op === "Reciprocal") {
      const mul = g.consumers(n.outputs[0]!).find((m) => m.op === "Mul" && !m.domain && m.inputs.includes(d));
      if (mul) return mul;
    }
  }
  return undefined;
}

/**
 * Layer normalization as exporters decompose it (PyTorch's nn.LayerNorm before opset 17, tf2onnx, our
 * own exporter below 17): `d = x - mean(x); y = d / sqrt(mean(d²) + ε)` (or `d · reciprocal(...)`) over
 * any non-batch axes, then optionally `· γ + β` — one kg.LayerNormalization (Keras's
 * LayerNormalization, whose `axis` may list several axes).
 */
export function recognizeLayerNorm(g: ImportGraph): number {
  let found = 0;
  for (const sqrt of [...g.nodes]) {
    if (sqrt.op !== "Sqrt" || sqrt.domain || !g.nodes.includes(sqrt)) continue;
    const addEps = producer(g, sqrt.inputs[0]!, "Add");
    const eps = addEps ? scalarOf(g.constant(addEps.inputs[1]!) ?? g.constant(addEps.inputs[0]!)) : undefined;
    const variance = addEps ? g.producer(addEps.inputs.find((i) => !g.isConstant(i)) ?? "") : undefined;
    if (eps === undefined || !variance || variance.op !== "ReduceMean" || variance.domain) continue;
    const sq = g.producer(variance.inputs[0]!);
    if (!sq || sq.domain) continue;
    const isSquare =
      (sq.op === "Pow" && scalarOf(g.constant(sq.inputs[1]!)) === 2) ||
      (sq.op === "Mul" && sq.inputs[0] === sq.inputs[1]);
    const sub = isSquare ? producer(g, sq.inputs[0]!, "Sub") : undefined;
    if (!sub) continue;
    const x = sub.inputs[0]!;
    const shape = g.value(x).shape;
    const mean = producer(g, sub.inputs[1]!, "ReduceMean");
    if (!shape || !mean || mean.inputs[0] !== x) continue;
    const axes = reduceAxes(g, mean, shape.length);
    if (!axes || axes.includes(0) || reduceAxes(g, variance, shape.length)?.join() !== axes.join()) continue;
    if (axes.some((a) => typeof shape[a] !== "number")) continue;
    const div = normalized(g, sub.outputs[0]!, sqrt.outputs[0]!);
    if (!div) continue;
    let last = div;
    const mul = soleUser(g, div.outputs[0]!, "Mul");
    const gamma = affineOperand(g, mul, div.outputs[0]!, shape, axes);
    if (gamma) last = mul!;
    const add = soleUser(g, last.outputs[0]!, "Add");
    const beta = affineOperand(g, add, last.outputs[0]!, shape, axes);
    if (beta) last = add!;
    replaceWithNormalization(g, last, "LayerNormalization", [x, gamma ?? "", beta ?? ""], axes, eps);
    found++;
  }
  return found;
}

/**
 * Puts one `kg` normalization node (`op` over `axes`, `epsilon`) where the matched pattern ended at
 * `last`, giving it `last`'s output, and drops the nodes the pattern leaves unused.
 */
export function replaceWithNormalization(
  g: ImportGraph,
  last: Node,
  op: string,
  inputs: string[],
  axes: number[],
  epsilon: number,
): void {
  g.addNode({ op, domain: "kg", inputs, outputs: [last.outputs[0]!], attrs: { axes, epsilon } }, last);
  g.removeNode(last);
  g.removeDeadNodes();
}
