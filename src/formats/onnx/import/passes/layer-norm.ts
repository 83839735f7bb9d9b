import { numbers, scalarOf, sizeOf } from "../const.js";
import type { ImportGraph, Node } from "../graph.js";
import { normalizeAxis } from "../params.js";

function reduceAxes(g: ImportGraph, n: Node, rank: number): number[] | null {
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

const producer = (g: ImportGraph, v: string, op: string) => {
  const p = g.producer(v);
  return p && !p.domain && p.op === op ? p : undefined;
};

function soleUser(g: ImportGraph, v: string, op: string): Node | undefined {
  const users = g.consumers(v);
  if (users.length !== 1 || g.outputs.includes(v) || users[0]!.op !== op || users[0]!.domain) return undefined;
  return users[0];
}

/** The constant operand of `n` (a Mul / Add after the normalization) if it has `size` values on the normalized axes. */
function affineOperand(g: ImportGraph, n: Node | undefined, from: string, size: number): string | undefined {
  if (!n || n.inputs.length !== 2) return undefined;
  const k = n.inputs[0] === from ? 1 : n.inputs[1] === from ? 0 : -1;
  if (k < 0) return undefined;
  const c = g.constant(n.inputs[k]!);
  return c && sizeOf(c.dims) === size ? n.inputs[k] : undefined;
}

/**
 * Layer normalization as exporters decompose it before opset 17 (PyTorch's nn.LayerNorm, tf2onnx):
 * `d = x - mean(x); y = d / sqrt(mean(d²) + ε)` over the trailing axes, then optionally `· γ + β` —
 * made one kg.LayerNormalization (Keras's LayerNormalization).
 */
export function recognizeLayerNorm(g: ImportGraph): number {
  let found = 0;
  for (const div of [...g.nodes]) {
    if (div.op !== "Div" || div.domain || !g.nodes.includes(div)) continue;
    const sub = producer(g, div.inputs[0]!, "Sub");
    const sqrt = producer(g, div.inputs[1]!, "Sqrt");
    if (!sub || !sqrt) continue;
    const x = sub.inputs[0]!;
    const rank = g.value(x).shape?.length ?? 0;
    const mean = producer(g, sub.inputs[1]!, "ReduceMean");
    if (!mean || mean.inputs[0] !== x) continue;
    const axes = reduceAxes(g, mean, rank);
    if (!axes || !axes.every((a, i) => a === rank - axes.length + i) || axes[0] === 0) continue;
    const addEps = producer(g, sqrt.inputs[0]!, "Add");
    const eps = addEps ? scalarOf(g.constant(addEps.inputs[1]!) ?? g.constant(addEps.inputs[0]!)) : undefined;
    const variance = addEps ? g.producer(addEps.inputs.find((i) => !g.isConstant(i))!) : undefined;
    if (
      eps === undefined ||
      !variance ||
      variance.op !== "ReduceMean" ||
      reduceAxes(g, variance, rank)?.join() !== axes.join()
    )
      continue;
    const sq = g.producer(variance.inputs[0]!);
    const squares =
      sq &&
      !sq.domain &&
      ((sq.op === "Pow" && sq.inputs[0] === sub.outputs[0] && scalarOf(g.constant(sq.inputs[1]!)) === 2) ||
        (sq.op === "Mul" && sq.inputs[0] === sub.outputs[0] && sq.inputs[1] === sub.outputs[0]));
    if (!squares) continue;
    const dims = axes.map((a) => g.value(x).shape![a]);
    if (dims.some((d) => typeof d !== "number")) continue;
    const size = (dims as number[]).reduce((a, b) => a * b, 1);
    let last = div;
    const mul = soleUser(g, div.outputs[0]!, "Mul");
    const gamma = affineOperand(g, mul, div.outputs[0]!, size);
    if (gamma) last = mul!;
    const add = soleUser(g, last.outputs[0]!, "Add");
    const beta = affineOperand(g, add, last.outputs[0]!, size);
    if (beta) last = add!;
    g.addNode(
      {
        op: "LayerNormalization",
        domain: "kg",
        inputs: [x, gamma ?? "", beta ?? ""],
        outputs: [last.outputs[0]!],
        attrs: { axis: axes[0]!, epsilon: eps },
      },
      last,
    );
    g.removeNode(last);
    g.removeDeadNodes();
    found++;
  }
  return found;
}
