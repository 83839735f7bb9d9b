import type { Dim, ImportGraph, Node } from "../graph.js";
import { LayoutChain, type LayoutStep } from "../layout-algebra.js";
import { transposeData } from "../../tensor-data.js";

/** Ops that only move data: their output is a reordering or regrouping of their input. */
export const DATA_MOVEMENT = new Set(["Transpose", "Reshape", "Flatten", "Squeeze", "Unsqueeze"]);

export function isDataMovement(g: ImportGraph, n: Node | undefined): boolean {
  return (
    !!n &&
    (n.domain === "" ? DATA_MOVEMENT.has(n.op) : n.domain === "kg" && KG_LAYOUT.has(n.op)) &&
    !g.isConstant(n.inputs[0]!)
  );
}

/** The importer's canonical layout ops (mapped to Keras Reshape, Permute and Flatten). */
const KG_LAYOUT = new Set(["Reshape", "Permute"]);

/**
 * Replaces every chain of data-movement ops between two computing nodes (or a graph input/output) by
 * its canonical form (see LayoutChain): at most a Reshape, a Permute and a Reshape, and nothing at all
 * for a chain that cancels out (a transpose and its inverse, Unsqueeze then Squeeze, ...). Chains from
 * the same value with the same steps share one copy. Chains Keras cannot express are left as they are.
 */
export function canonicalizeChains(g: ImportGraph): number {
  let replaced = 0;
  const memo = new Map<string, string>();
  const rewrite = (end: string): string | null => {
    const ops: Node[] = [];
    let v = end;
    for (let p = g.producer(v); p && isDataMovement(g, p); p = g.producer(v)) {
      ops.unshift(p);
      v = p.inputs[0]!;
    }
    if (ops.length === 0) return null;
    if (ops.length === 1 && ops[0]!.domain === "kg") return null;
    const start = g.value(v).shape;
    const outShape = g.value(end).shape;
    if (!start || !outShape) return null;
    const chain = new LayoutChain(start);
    for (const op of ops) {
      const shape = g.value(op.outputs[0]!).shape;
      if (!shape) return null;
      if (op.op === "Transpose" || op.op === "Permute") {
        const inRank = g.value(op.inputs[0]!).shape?.length ?? 0;
        const perm = op.attrs.perm as number[] | undefined;
        chain.transpose(perm ?? Array.from({ length: inRank }, (_, i) => inRank - 1 - i));
      } else chain.reshape(shape);
    }
    const steps = chain.steps(outShape);
    if (!steps) return null;
    const key = `${v}|${JSON.stringify(steps)}`;
    const known = memo.get(key);
    if (known) return known;
    const out = emitSteps(g, v, steps, end);
    memo.set(key, out);
    return out;
  };
  for (const n of [...g.nodes]) {
    if (isDataMovement(g, n)) continue;
    n.inputs = n.inputs.map((i) => {
      const r = i ? rewrite(i) : null;
      if (r === null || r === i) return i;
      replaced++;
      return r;
    });
    g.touch(n);
  }
  g.outputs = g.outputs.map((o) => {
    const r = rewrite(o);
    if (r === null || r === o) return o;
    replaced++;
    // A graph output that is its chain's input again needs a layer: an empty chain keeps one Reshape.
    return r;
  });
  g.dirty();
  g.removeDeadNodes();
  g.sort();
  return replaced;
}

/** Emits the steps as kg.Reshape / kg.Permute nodes from `input`; returns the last value. */
function emitSteps(g: ImportGraph, input: string, steps: LayoutStep[], end: string): string {
  let v = input;
  let shape = g.value(input).shape as Dim[];
  const dtype = g.value(input).dtype;
  for (const s of steps) {
    if (s.kind === "transpose") shape = s.perm.map((p) => shape[p]!);
    else shape = s.shape;
    const out = g.addValue(`${end}__${s.kind}`, [...shape], dtype);
    g.addNode({
      op: s.kind === "transpose" ? "Permute" : "Reshape",
      domain: "kg",
      inputs: [v],
      outputs: [out.name],
      attrs:
        s.kind === "transpose" ? { perm: s.perm } : { shape: s.shape.map((d) => (typeof d === "number" ? d : -1)) },
    });
    v = out.name;
  }
  return v;
}

/**
 * kg.Permute([0, 2, ..., r-1, 1]) then a reshape to (batch, n) is Keras's
 * Flatten(data_format="channels_first"), which moves channels last before flattening.
 */
export function fuseChannelsFirstFlatten(g: ImportGraph): number {
  let fused = 0;
  for (const p of [...g.nodes]) {
    if (p.domain !== "kg" || p.op !== "Permute") continue;
    const perm = p.attrs.perm as number[];
    const r = perm.length;
    if (r < 3 || !perm.every((v, i) => v === (i === 0 ? 0 : i === r - 1 ? 1 : i + 1))) continue;
    const users = g.consumers(p.outputs[0]!);
    const flat = users[0];
    if (
      users.length !== 1 ||
      g.outputs.includes(p.outputs[0]!) ||
      !flat ||
      flat.domain !== "kg" ||
      flat.op !== "Reshape"
    )
      continue;
    if (g.value(flat.outputs[0]!).shape?.length !== 2) continue;
    flat.op = "Flatten";
    flat.attrs = { data_format: "channels_first" };
    flat.inputs = [p.inputs[0]!];
    g.touch(flat);
    g.removeNode(p);
    fused++;
  }
  return fused;
}

/**
 * kg.Permute → reshape to (batch, n) → a Dense (MatMul / Gemm / kg.Dense by a constant): the
 * permutation only reorders the Dense's input features, so it folds into the kernel's rows and the
 * Permute goes (how a channels-first Flatten before a Dense needs no transposes in channels_last).
 */
export function foldPermuteIntoDense(g: ImportGraph): number {
  let folded = 0;
  for (const p of [...g.nodes]) {
    if (p.domain !== "kg" || p.op !== "Permute") continue;
    const users = g.consumers(p.outputs[0]!);
    const flat = users[0];
    if (
      users.length !== 1 ||
      g.outputs.includes(p.outputs[0]!) ||
      !flat ||
      flat.domain !== "kg" ||
      flat.op !== "Reshape"
    )
      continue;
    const flatOut = flat.outputs[0]!;
    if (g.value(flatOut).shape?.length !== 2 || g.outputs.includes(flatOut) || g.consumers(flatOut).length !== 1)
      continue;
    const dense = g.consumers(flatOut)[0]!;
    const isDense =
      (dense.domain === "kg" && dense.op === "Dense") ||
      (!dense.domain && (dense.op === "MatMul" || (dense.op === "Gemm" && dense.attrs.transA !== 1)));
    const w = g.constant(dense.inputs[1] ?? "");
    if (!isDense || dense.inputs[0] !== flatOut || !w || w.dims.length !== 2) continue;
    const inDims = g.value(p.inputs[0]!).shape!.slice(1);
    if (inDims.some((d) => typeof d !== "number")) continue;
    const n = (inDims as number[]).reduce((a, b) => a * b, 1);
    const perm = (p.attrs.perm as number[]).slice(1).map((v) => v - 1);
    // order[j] = the input feature at position j of the permuted, flattened tensor.
    const order = transposeData(
      Int32Array.from({ length: n }, (_, i) => i),
      inDims as number[],
      perm,
    );
    const byRows = !(dense.op === "Gemm" && dense.attrs.transB === 1);
    const rows = byRows ? w.dims[0]! : w.dims[1]!;
    if (rows !== n) continue;
    const cols = byRows ? w.dims[1]! : w.dims[0]!;
    const data = w.data;
    const src = data as unknown as number[];
    const out = new (data.constructor as new (k: number) => typeof data)(data.length);
    const dst = out as unknown as number[];
    for (let j = 0; j < n; j++) {
      for (let c = 0; c < cols; c++) {
        if (byRows) dst[order[j]! * cols + c] = src[j * cols + c]!;
        else dst[c * n + order[j]!] = src[c * n + j]!;
      }
    }
    dense.inputs[1] = g.addValue(`${dense.inputs[1]}_rows`, [...w.dims], w.dtype, {
      value: { dtype: w.dtype, dims: [...w.dims], data: out },
    }).name;
    g.touch(dense);
    flat.inputs = [p.inputs[0]!];
    g.touch(flat);
    g.removeNode(p);
    folded++;
  }
  return folded;
}
