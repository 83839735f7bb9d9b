import type { OnnxGraph, OnnxNode, OnnxTensor } from "../model.js";
import { transposedTensor } from "../deferred.js";

/** Ops that apply to each element on their own: a transpose before them can go after them. */
const UNARY = new Set([
  "Relu",
  "Sigmoid",
  "Tanh",
  "Elu",
  "Selu",
  "LeakyRelu",
  "HardSigmoid",
  "HardSwish",
  "Softplus",
  "Softsign",
  "Exp",
  "Log",
  "Abs",
  "Neg",
  "Sqrt",
  "Reciprocal",
  "Erf",
  "Clip",
  "Cast",
  "Identity",
  "Floor",
  "Ceil",
  "Round",
  "Sign",
  "Not",
  "Mish",
  "Gelu",
  "ThresholdedRelu",
  "Celu",
  "Sin",
  "Cos",
  "IsNaN",
]);
/** Broadcasting elementwise ops: every input must be transposed alike (constants are permuted). */
const ELEMENTWISE = new Set([
  "Add",
  "Sub",
  "Mul",
  "Div",
  "Max",
  "Min",
  "Sum",
  "Mean",
  "Pow",
  "PRelu",
  "Equal",
  "Greater",
  "Less",
  "GreaterOrEqual",
  "LessOrEqual",
  "And",
  "Or",
  "Xor",
  "Where",
]);
const AXIS_OPS = new Set(["Softmax", "LogSoftmax", "Hardmax", "Concat"]);
const REDUCE = new Set([
  "ReduceMean",
  "ReduceMax",
  "ReduceMin",
  "ReduceSum",
  "ReduceProd",
  "ReduceL2",
  "ReduceL1",
  "ReduceLogSumExp",
  "ReduceSumSquare",
]);

interface Index {
  producer: Map<string, OnnxNode>;
  init: Map<string, OnnxTensor>;
  /** Fresh names for the nodes and values the pass makes. */
  fresh(base: string): string;
}

const permOf = (n: OnnxNode): number[] => (n.attributes.perm?.value as number[] | undefined) ?? [];
const isIdentity = (p: number[]) => p.every((v, i) => v === i);
const ints = (t: OnnxTensor): number[] => Array.from(t.data as ArrayLike<number | bigint>, Number);

/**
 * The layout pass. Emitters translate channels-first ops (Conv, pooling, BatchNormalization, Resize)
 * with a Transpose on each side; this pass moves every Transpose later through layout-agnostic ops
 * (elementwise, reductions, softmax, concat, pad, slice) and cancels it against the next inverse one,
 * so a channels-first region is entered and left once. One forward sweep suffices: a node's inputs
 * were already sunk as far as they go when it is reached. Returns the number of rewrites.
 */
export function sinkTransposes(graph: OnnxGraph): number {
  const taken = new Set<string>();
  for (const n of graph.nodes) for (const v of [n.name, ...n.outputs]) taken.add(v);
  for (const t of graph.initializers) taken.add(t.name);
  const ix: Index = {
    producer: new Map(),
    init: new Map(graph.initializers.map((t) => [t.name, t])),
    fresh(base) {
      let name = `${base}/sunk`;
      for (let k = 1; taken.has(name); k++) name = `${base}/sunk_${k}`;
      taken.add(name);
      return name;
    },
  };
  for (const n of graph.nodes) for (const o of n.outputs) ix.producer.set(o, n);
  let changes = 0;
  for (let k = 0, guard = 0; k < graph.nodes.length; guard++) {
    const rewrite = guard < 16 ? rewriteNode(graph, ix, graph.nodes[k]!) : null;
    if (!rewrite) {
      k++;
      guard = -1;
      continue;
    }
    graph.nodes.splice(k, 1, ...rewrite);
    for (const n of rewrite) for (const o of n.outputs) ix.producer.set(o, n);
    changes++;
  }
  return changes;
}

function transposeOf(ix: Index, value: string): { input: string; perm: number[] } | null {
  const p = ix.producer.get(value);
  if (!p || p.opType !== "Transpose") return null;
  return { input: p.inputs[0]!, perm: permOf(p) };
}

/** The node with its data inputs untransposed, followed by one Transpose giving the original output. */
function moveAfter(
  ix: Index,
  node: OnnxNode,
  inputs: string[],
  attributes: OnnxNode["attributes"],
  perm: number[] | null,
): OnnxNode[] {
  const out = node.outputs[0]!;
  if (!perm || isIdentity(perm)) return [{ ...node, inputs, attributes, outputs: [out] }];
  const mid = ix.fresh(out);
  return [
    { ...node, inputs, attributes, outputs: [mid] },
    {
      name: ix.fresh(node.name),
      opType: "Transpose",
      inputs: [mid],
      outputs: [out],
      attributes: { perm: { type: "ints", value: perm } },
    },
  ];
}

function rewriteNode(graph: OnnxGraph, ix: Index, node: OnnxNode): OnnxNode[] | null {
  if (node.outputs.length !== 1) return null;
  if (node.opType === "Transpose") {
    const t = transposeOf(ix, node.inputs[0]!);
    if (!t) return null;
    const q = permOf(node);
    const composed = q.map((j) => t.perm[j]!);
    if (isIdentity(composed)) {
      replaceUses(graph, ix, node.outputs[0]!, t.input);
      return [];
    }
    return [{ ...node, inputs: [t.input], attributes: { perm: { type: "ints", value: composed } } }];
  }
  const first = transposeOf(ix, node.inputs[0] ?? "");
  if (UNARY.has(node.opType)) {
    if (!first) return null;
    return moveAfter(ix, node, [first.input, ...node.inputs.slice(1)], node.attributes, first.perm);
  }
  if (ELEMENTWISE.has(node.opType)) return rewriteElementwise(graph, ix, node);
  if (!first) return null;
  const p = first.perm;
  const r = p.length;
  const norm = (a: number) => (a < 0 ? a + r : a);
  if (AXIS_OPS.has(node.opType)) {
    const axis = norm(Number(node.attributes.axis?.value ?? (node.opType === "Concat" ? 0 : -1)));
    const ins: string[] = [];
    for (const v of node.inputs) {
      const t = transposeOf(ix, v);
      if (!t || t.perm.join() !== p.join()) return null;
      ins.push(t.input);
    }
    return moveAfter(ix, node, ins, { ...node.attributes, axis: { type: "int", value: p[axis]! } }, p);
  }
  if (REDUCE.has(node.opType)) {
    const axesInit = node.inputs[1] ? ix.init.get(node.inputs[1]) : undefined;
    const axes = node.inputs[1]
      ? axesInit
        ? ints(axesInit)
        : null
      : ((node.attributes.axes?.value as number[] | undefined) ?? null);
    if (!axes || axes.length === 0) return null;
    const keep = Number(node.attributes.keepdims?.value ?? 1) === 1;
    const reduced = axes.map(norm);
    const moved = reduced.map((a) => p[a]!);
    const rest = p.map((_, i) => i).filter((i) => !reduced.includes(i));
    const sorted = rest.map((i) => p[i]!).sort((a, b) => a - b);
    const after = keep ? p : rest.map((i) => sorted.indexOf(p[i]!));
    const inputs = [first.input];
    const attributes = { ...node.attributes };
    if (node.inputs[1])
      inputs.push(
        addInitializer(graph, ix, `${node.name}/axes`, BigInt64Array.from(moved.map(BigInt)), [moved.length]),
      );
    else attributes.axes = { type: "ints", value: moved };
    return moveAfter(ix, node, inputs, attributes, after);
  }
  if (node.opType === "Pad") {
    const pads = ix.init.get(node.inputs[1] ?? "");
    if (!pads || node.inputs.length > 3 || (node.attributes.mode?.value ?? "constant") !== "constant") return null;
    const v = ints(pads);
    const moved = new Array<number>(2 * r).fill(0);
    p.forEach((src, i) => {
      moved[src] = v[i]!;
      moved[src + r] = v[i + r]!;
    });
    const name = addInitializer(graph, ix, `${node.name}/pads`, BigInt64Array.from(moved.map(BigInt)), [2 * r]);
    return moveAfter(ix, node, [first.input, name, ...node.inputs.slice(2)], node.attributes, p);
  }
  if (node.opType === "Slice") {
    const axes = ix.init.get(node.inputs[3] ?? "");
    if (!axes) return null;
    const moved = ints(axes).map((a) => p[norm(a)]!);
    const name = addInitializer(graph, ix, `${node.name}/axes`, BigInt64Array.from(moved.map(BigInt)), [moved.length]);
    return moveAfter(
      ix,
      node,
      [first.input, node.inputs[1]!, node.inputs[2]!, name, ...node.inputs.slice(4)],
      node.attributes,
      p,
    );
  }
  return null;
}

/** E(T(a), T(b), c) = T(E(a, b, c')) where c' is the constant c permuted back (broadcast to full rank). */
function rewriteElementwise(graph: OnnxGraph, ix: Index, node: OnnxNode): OnnxNode[] | null {
  let perm: number[] | null = null;
  for (const v of node.inputs) {
    const t = transposeOf(ix, v);
    if (t) {
      if (perm && perm.join() !== t.perm.join()) return null;
      perm = t.perm;
    }
  }
  if (!perm) return null;
  const p = perm;
  const inverse = new Array<number>(p.length);
  p.forEach((src, i) => (inverse[src] = i));
  const ins: string[] = [];
  for (const v of node.inputs) {
    const t = transposeOf(ix, v);
    if (t) {
      ins.push(t.input);
      continue;
    }
    const c = ix.init.get(v);
    if (!c || c.dims.length > p.length) return null;
    if (c.dims.reduce((a, b) => a * b, 1) === 1 && c.dims.length <= 1) {
      ins.push(v);
      continue;
    }
    // Broadcasting aligns trailing axes: pad with leading 1s to full rank, then undo the permutation.
    const full = [...new Array<number>(p.length - c.dims.length).fill(1), ...c.dims];
    ins.push(addTensor(graph, ix, `${c.name}/permuted`, (name) => transposedTensor(name, c, full, inverse)));
  }
  return moveAfter(ix, node, ins, node.attributes, p);
}

function addInitializer(graph: OnnxGraph, ix: Index, base: string, data: OnnxTensor["data"], dims: number[]): string {
  const dataType = data instanceof BigInt64Array ? 7 : 1;
  return addTensor(graph, ix, base, (name) => ({ name, dataType, dims, data }));
}

/** Adds the initializer `make` builds under a fresh name from `base`; returns the name. */
function addTensor(graph: OnnxGraph, ix: Index, base: string, make: (name: string) => OnnxTensor): string {
  const name = ix.fresh(base);
  const t = make(name);
  graph.initializers.push(t);
  ix.init.set(name, t);
  return name;
}

function replaceUses(graph: OnnxGraph, ix: Index, from: string, to: string): void {
  for (const n of graph.nodes) if (n.inputs.includes(from)) n.inputs = n.inputs.map((v) => (v === from ? to : v));
  // A graph output must keep its own value: give it an Identity instead of renaming.
  if (graph.outputs.some((o) => o.name === from)) {
    graph.nodes.push({ name: ix.fresh(from), opType: "Identity", inputs: [to], outputs: [from], attributes: {} });
  }
}
