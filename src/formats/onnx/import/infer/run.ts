import { ShapeError } from "../../../../ir/errors.js";
import { NodeReader } from "../attrs.js";
import { type Const, int64Const, numbers, sizeOf } from "../const.js";
import { FOLD_KERNELS } from "../fold/kernels.js";
import type { ImportGraph, Node, Value } from "../graph.js";
import { SHAPE_RULES } from "./shapes.js";
import { SYMBOLIC_RULES, itemsOf } from "./symbolic.js";

/** Folding stops at constants this large (an Expand or ConstantOfShape of a huge size stays a node). */
const MAX_FOLDED_ELEMENTS = 1 << 26;

/**
 * Shape inference and constant folding in one sweep over the graph in topological order: a node whose
 * inputs are all constant becomes a constant (and leaves the graph), shape arithmetic over run-time
 * symbols is followed (`Shape → Gather → Concat → Reshape`), and every other node's outputs get shapes
 * and dtypes from its op's rule. Returns how many nodes were folded away.
 */
export function inferGraph(g: ImportGraph): number {
  g.sort();
  const folded: Node[] = [];
  for (const node of g.nodes) {
    const r = new NodeReader(g, node);
    const ins = node.inputs.map((i) => (i ? g.value(i) : undefined));
    const outs = node.outputs.map((o) => (o ? g.value(o) : undefined));
    if (!node.domain && foldNode(r, ins, outs)) {
      folded.push(node);
      continue;
    }
    const rule = node.domain || !Object.hasOwn(SHAPE_RULES, node.op) ? undefined : SHAPE_RULES[node.op];
    if (rule) {
      rule(r, ins).forEach((inf, k) => {
        const v = outs[k];
        if (!v) return;
        checkInferred(g, node, k, inf.shape);
        v.shape = inf.shape ?? v.shape;
        v.dtype = inf.dtype;
      });
    }
    if (!node.domain && followSymbols(r, ins, outs[0])) folded.push(node);
    else if (!node.domain) noteFill(r, ins, outs[0]);
  }
  for (const n of folded) g.removeNode(n);
  return folded.length;
}

/**
 * An inferred shape must be sizes (whole numbers ≥ 0) or symbols: attributes a damaged file gives
 * (a zero stride, a fractional pad) would otherwise spread NaN through every later pass.
 */
function checkInferred(g: ImportGraph, node: Node, k: number, shape: readonly unknown[] | null | undefined): void {
  const bad = shape?.find(
    (d) => typeof d !== "string" && !(typeof d === "number" && Number.isSafeInteger(d) && d >= 0),
  );
  if (bad === undefined) return;
  throw new ShapeError(
    `${g.describe(node)}: its output ${k} would have shape [${shape!.join(", ")}]; its attributes and input shapes do not fit. ` +
      `Received: inputs ${node.inputs.map((i) => `[${g.value(i)?.shape?.join(", ") ?? "?"}]`).join(", ")}`,
    { file: g.file },
  );
}

function foldNode(r: NodeReader, ins: (Value | undefined)[], outs: (Value | undefined)[]): boolean {
  const kernel = Object.hasOwn(FOLD_KERNELS, r.node.op) ? FOLD_KERNELS[r.node.op] : undefined;
  if (!kernel || !ins.some((v) => v)) return false;
  if (!r.node.inputs.every((name, k) => !name || ins[k]?.value)) return false;
  let results: Const[];
  try {
    results = kernel(
      r,
      ins.map((v) => v?.value),
    );
  } catch {
    // Not foldable here (an op variant the kernels do not cover): it stays a node, and its mapper
    // says what is unsupported.
    return false;
  }
  if (results.some((c) => sizeOf(c.dims) > MAX_FOLDED_ELEMENTS)) return false;
  results.forEach((c, k) => {
    const v = outs[k];
    if (!v) return;
    v.value = c;
    v.shape = [...c.dims];
    v.dtype = c.dtype;
  });
  return true;
}

/** Follows shape arithmetic; a result without symbols becomes a constant (the node then goes). */
function followSymbols(r: NodeReader, ins: (Value | undefined)[], out: Value | undefined): boolean {
  const rule = Object.hasOwn(SYMBOLIC_RULES, r.node.op) ? SYMBOLIC_RULES[r.node.op] : undefined;
  if (!rule || !out || r.node.outputs.length !== 1) return false;
  if (out.shape && out.shape.length > 1) return false;
  const items = ins.map(itemsOf);
  if (r.node.op !== "Shape" && !ins.some((v) => v?.symbolic)) return false;
  const result = rule(r, items, ins);
  if (!result) return false;
  if (result.every((d) => typeof d === "number")) {
    const scalar = out.shape?.length === 0;
    out.value = int64Const(result as number[], scalar ? [] : [result.length]);
    out.shape = [...out.value.dims];
    out.dtype = "int64";
    return true;
  }
  out.symbolic = result;
  out.shape ??= [result.length];
  return false;
}

/** A tensor of run-time shape whose elements are all one number (zeros for RNN initial states). */
function noteFill(r: NodeReader, ins: (Value | undefined)[], out: Value | undefined): void {
  if (!out) return;
  if (r.node.op === "ConstantOfShape") {
    const v = r.node.attrs.value as Const | undefined;
    out.fill = v ? numbers(v)[0]! : 0;
  } else if (r.node.op === "Expand" && ins[0]?.value && sizeOf(ins[0].value.dims) === 1) {
    out.fill = numbers(ins[0].value)[0]!;
  } else if (r.node.op === "Expand" || r.node.op === "Identity" || r.node.op === "Cast") {
    if (ins[0]?.fill !== undefined) out.fill = ins[0].fill;
  }
}
