import type { Dim, ImportGraph, Node } from "../graph.js";
import { unsqueezeAxes } from "../params.js";
import { NodeReader } from "../attrs.js";

const sameDims = (a: readonly Dim[], b: readonly Dim[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * `Unsqueeze(x, a+1) → Expand(…, r at a+1) → Reshape(merge a, a+1)`: every element of axis a
 * repeated r times in place — how torch exports `repeat_interleave` (and Keras's UpSampling on the
 * torch backend). Becomes kg.Repeat, and repeats of one tensor along several axes merge into one:
 * Keras's UpSampling (nearest).
 */
export function recognizeRepeats(g: ImportGraph): number {
  let found = 0;
  for (const expand of [...g.nodes]) {
    if (expand.op !== "Expand" || expand.domain) continue;
    const unsq = g.producer(expand.inputs[0]!);
    if (!unsq || unsq.op !== "Unsqueeze" || unsq.domain || g.consumers(unsq.outputs[0]!).length !== 1) continue;
    const axes = unsqueezeAxes(new NodeReader(g, unsq));
    const x = g.value(unsq.inputs[0]!).shape;
    const u = g.value(unsq.outputs[0]!).shape;
    const e = g.value(expand.outputs[0]!).shape;
    if (!x || !u || !e || axes.length !== 1) continue;
    const at = axes[0]! < 0 ? axes[0]! + u.length : axes[0]!;
    const r = e[at];
    if (
      at === 0 ||
      typeof r !== "number" ||
      !sameDims(
        e.filter((_, i) => i !== at),
        x,
      )
    )
      continue;
    const users = g.consumers(expand.outputs[0]!);
    const reshape = users[0];
    if (users.length !== 1 || !reshape || reshape.op !== "Reshape" || reshape.domain) continue;
    const out = g.value(reshape.outputs[0]!).shape;
    const axis = at - 1;
    const size = x[axis];
    if (
      !out ||
      typeof size !== "number" ||
      !sameDims(
        out,
        x.map((d, i) => (i === axis ? size * r : d)),
      )
    )
      continue;
    const repeats = x.map((_, i) => (i === axis ? r : 1));
    g.addNode(
      { op: "Repeat", domain: "kg", inputs: [unsq.inputs[0]!], outputs: [reshape.outputs[0]!], attrs: { repeats } },
      reshape,
    );
    g.removeNode(reshape);
    found++;
  }
  g.removeDeadNodes();
  mergeRepeats(g);
  return found + recognizeRepeatVectors(g);
}

/** `Expand` / `Tile` of `Unsqueeze(x, 1)` with x of shape (batch, features): Keras's RepeatVector(n). */
function recognizeRepeatVectors(g: ImportGraph): number {
  let found = 0;
  for (const n of [...g.nodes]) {
    if ((n.op !== "Expand" && n.op !== "Tile") || n.domain) continue;
    const unsq = g.producer(n.inputs[0]!);
    if (!unsq || unsq.op !== "Unsqueeze" || unsq.domain) continue;
    const x = g.value(unsq.inputs[0]!).shape;
    const u = g.value(unsq.outputs[0]!).shape;
    const out = g.value(n.outputs[0]!).shape;
    if (!x || !u || !out || x.length !== 2 || u.length !== 3 || u[1] !== 1 || out.length !== 3) continue;
    const times = out[1];
    if (typeof times !== "number" || out[0] !== x[0] || out[2] !== x[1]) continue;
    g.addNode(
      { op: "RepeatVector", domain: "kg", inputs: [unsq.inputs[0]!], outputs: [n.outputs[0]!], attrs: { n: times } },
      n,
    );
    g.removeNode(n);
    found++;
  }
  g.removeDeadNodes();
  return found;
}

/** Repeat(Repeat(x, a), b) along different axes → Repeat(x, a·b). */
function mergeRepeats(g: ImportGraph): void {
  for (const n of [...g.nodes]) {
    if (n.domain !== "kg" || n.op !== "Repeat") continue;
    const inner: Node | undefined = g.producer(n.inputs[0]!);
    if (!inner || inner.domain !== "kg" || inner.op !== "Repeat" || g.useCount(inner.outputs[0]!) !== 1) continue;
    const a = inner.attrs.repeats as number[];
    const b = n.attrs.repeats as number[];
    n.attrs.repeats = a.map((v, i) => v * b[i]!);
    n.inputs = [inner.inputs[0]!];
    g.touch(n);
    g.removeNode(inner);
  }
  g.dirty();
}
