import { isFloatDtype } from "../const.js";
import type { ImportGraph, Node } from "../graph.js";
import { reshapeConst } from "../fold/layout.js";

/** Ops that compute nothing at inference: Identity, Dropout (its mask unused), float→float Cast. */
function passesThrough(g: ImportGraph, n: Node): boolean {
  if (n.domain) return false;
  if (n.op === "Identity") return true;
  if (n.op === "Dropout") return n.outputs.slice(1).every((o) => !o || g.useCount(o) === 0);
  if (n.op === "Cast") {
    const from = g.value(n.inputs[0]!).dtype;
    const to = g.value(n.outputs[0]!).dtype;
    return from === to || (isFloatDtype(from) && isFloatDtype(to));
  }
  return false;
}

/**
 * Removes nodes that pass their input through (readers read the input instead). One stays where a
 * graph output would otherwise be a graph input itself or another output: Keras needs a layer there.
 * Returns how many went.
 */
export function removePassThrough(g: ImportGraph): number {
  let removed = 0;
  for (const n of [...g.nodes]) {
    if (!passesThrough(g, n)) continue;
    const x = n.inputs[0]!;
    const y = n.outputs[0]!;
    if (g.outputs.includes(y) && (g.inputs.includes(x) || g.outputs.includes(x))) continue;
    g.replaceUses(y, x);
    g.removeNode(n);
    removed++;
  }
  g.dirty();
  return removed;
}

const LEGACY_BROADCAST = new Set(["Add", "Sub", "Mul", "Div", "Pow", "And", "Or", "Equal", "Less", "Greater"]);

/**
 * Opsets before 7 broadcast the second operand only when told (`broadcast=1`), aligned at `axis`
 * rather than at the end: reshapes such a constant so NumPy broadcasting (opset 7+) means the same.
 */
export function alignLegacyBroadcast(g: ImportGraph): number {
  if (g.opset >= 7) return 0;
  let changed = 0;
  for (const n of g.nodes) {
    if (!LEGACY_BROADCAST.has(n.op) || n.attrs.broadcast !== 1 || typeof n.attrs.axis !== "number") continue;
    const a = g.value(n.inputs[0]!);
    const b = g.constant(n.inputs[1]!);
    if (!a.shape || !b) continue;
    const axis = n.attrs.axis < 0 ? n.attrs.axis + a.shape.length : n.attrs.axis;
    const dims = [...b.dims, ...new Array<number>(Math.max(0, a.shape.length - axis - b.dims.length)).fill(1)];
    const v = g.addValue(`${n.inputs[1]}_aligned`, dims, b.dtype, { value: reshapeConst(b, dims) });
    n.inputs[1] = v.name;
    g.touch(n);
    delete n.attrs.broadcast;
    delete n.attrs.axis;
    changed++;
  }
  g.dirty();
  return changed;
}

/**
 * A file that declares batch size 1 may fold the batch axis into a reshape: `Flatten(axis=0)` of
 * (1, ...) is (1, n), which is what Flatten(axis=1) gives at batch 1 — the only batch the file takes.
 * Such nodes become their per-sample form so the Keras model keeps a batch axis.
 */
export function unfoldDeclaredBatch(g: ImportGraph): number {
  if (g.declaredBatch !== 1) return 0;
  let changed = 0;
  for (const n of g.nodes) {
    if (n.op === "Flatten" && !n.domain && (n.attrs.axis ?? 1) === 0 && !g.isConstant(n.inputs[0]!)) {
      n.attrs.axis = 1;
      changed++;
    }
  }
  return changed;
}

/**
 * A float → int Cast whose only readers look rows up in a constant table (Gather → Embedding): Keras's
 * Embedding casts its input to int itself, so the Cast goes and the Embedding reads the float input
 * (tf2onnx writes this for every Keras Embedding fed floats).
 */
export function dropCastsIntoEmbeddings(g: ImportGraph): number {
  let dropped = 0;
  for (const n of [...g.nodes]) {
    if (n.op !== "Cast" || n.domain) continue;
    const from = g.value(n.inputs[0]!).dtype;
    const to = g.value(n.outputs[0]!).dtype;
    if (!isFloatDtype(from) || isFloatDtype(to) || g.outputs.includes(n.outputs[0]!)) continue;
    const users = g.consumers(n.outputs[0]!);
    const lookups = users.every(
      (u) =>
        u.op === "Gather" &&
        !u.domain &&
        u.inputs[1] === n.outputs[0] &&
        u.inputs[0] !== n.outputs[0] &&
        g.isConstant(u.inputs[0]!),
    );
    if (!users.length || !lookups) continue;
    g.replaceUses(n.outputs[0]!, n.inputs[0]!);
    g.removeNode(n);
    dropped++;
  }
  return dropped;
}
