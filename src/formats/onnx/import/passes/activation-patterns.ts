import { scalarOf } from "../const.js";
import type { ImportGraph, Node } from "../graph.js";

const near = (a: number | undefined, b: number) => a !== undefined && Math.abs(a - b) <= 1e-4 * Math.abs(b);

/** The other operand of a binary node when one operand is `x`. */
function otherOperand(n: Node, x: string): string | undefined {
  if (n.inputs.length !== 2) return undefined;
  if (n.inputs[0] === x) return n.inputs[1];
  if (n.inputs[1] === x) return n.inputs[0];
  return undefined;
}

/** The scalar constant operand of a binary node, and its other operand. */
function scalarOperand(g: ImportGraph, n: Node): { value: number; other: string } | undefined {
  for (const k of [0, 1]) {
    const v = scalarOf(g.constant(n.inputs[k] ?? ""));
    if (v !== undefined && n.inputs.length === 2 && !g.isConstant(n.inputs[1 - k]!))
      return { value: v, other: n.inputs[1 - k]! };
  }
  return undefined;
}

function only(g: ImportGraph, value: string, op: string): Node | undefined {
  const users = g.consumers(value);
  if (users.length !== 1 || g.outputs.includes(value) || users[0]!.op !== op || users[0]!.domain) return undefined;
  return users[0];
}

function replace(g: ImportGraph, x: string, last: Node, op: string): void {
  g.addNode({ op, domain: "kg", inputs: [x], outputs: [last.outputs[0]!], attrs: {} }, last);
  g.removeNode(last);
}

/**
 * Activation functions exporters write as several ops, made one node each (an Activation, or the
 * `activation` of the Dense / Conv before them): `x · sigmoid(x)` → silu; PyTorch's exact GELU
 * `x · 0.5 · (1 + erf(x / √2))` (either association) → gelu.
 */
export function recognizeActivationPatterns(g: ImportGraph): number {
  let found = 0;
  for (const sig of [...g.nodes]) {
    if (sig.op !== "Sigmoid" || sig.domain || !g.nodes.includes(sig)) continue;
    const x = sig.inputs[0]!;
    const mul = only(g, sig.outputs[0]!, "Mul");
    if (!mul || otherOperand(mul, sig.outputs[0]!) !== x) continue;
    replace(g, x, mul, "Swish");
    found++;
  }
  for (const erf of [...g.nodes]) {
    if (erf.op !== "Erf" || erf.domain || !g.nodes.includes(erf)) continue;
    const scaled = g.producer(erf.inputs[0]!);
    const s = scaled && !scaled.domain ? scalarOperand(g, scaled) : undefined;
    if (!scaled || !s) continue;
    const isDiv = scaled.op === "Div" && scaled.inputs[0] === s.other && near(s.value, Math.SQRT2);
    const isMul = scaled.op === "Mul" && near(s.value, Math.SQRT1_2);
    if (!isDiv && !isMul) continue;
    const x = s.other;
    const plus = only(g, erf.outputs[0]!, "Add");
    if (!plus || !near(scalarOperand(g, plus)?.value, 1)) continue;
    const times = only(g, plus.outputs[0]!, "Mul");
    if (!times) continue;
    const left = otherOperand(times, plus.outputs[0]!)!;
    let last: Node | undefined;
    if (left === x) {
      // (x · (1 + erf)) · 0.5
      last = only(g, times.outputs[0]!, "Mul");
      if (!last || !near(scalarOperand(g, last)?.value, 0.5)) continue;
    } else {
      // (x · 0.5) · (1 + erf)
      const half = g.producer(left);
      const h = half && half.op === "Mul" && !half.domain ? scalarOperand(g, half) : undefined;
      if (!h || h.other !== x || !near(h.value, 0.5)) continue;
      last = times;
    }
    replace(g, x, last, "Gelu");
    g.removeDeadNodes();
    found++;
  }
  g.removeDeadNodes();
  return found;
}
