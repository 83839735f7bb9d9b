import { type Const, numbers, sizeOf } from "../const.js";
import { broadcastTo, elementwise } from "../fold/broadcast.js";
import type { ImportGraph, Node } from "../graph.js";
import { kerasActivation } from "../mappers/activations.js";
import { channelAxisOf } from "../mappers/merging.js";
import { CHANNELS_LAST } from "./sink-transposes.js";

/** The single node reading `value` (and no graph output), else undefined. */
function soleConsumer(g: ImportGraph, value: string): Node | undefined {
  const users = g.consumers(value);
  if (users.length !== 1 || g.outputs.includes(value)) return undefined;
  return users[0];
}

/** The constant operand of a binary node (and the other operand), if exactly one is constant. */
function constOperand(g: ImportGraph, n: Node): { c: Const; other: string; index: number } | undefined {
  if (n.inputs.length !== 2) return undefined;
  const k = n.inputs.findIndex((i) => g.isConstant(i));
  if (k < 0 || g.isConstant(n.inputs[1 - k]!)) return undefined;
  return { c: g.constant(n.inputs[k]!)!, other: n.inputs[1 - k]!, index: k };
}

function addConst(g: ImportGraph, base: string, c: Const): string {
  return g.addValue(base, [...c.dims], c.dtype, { value: c }).name;
}

/** Replaces `add` by its producer: the producer now writes add's output. */
function absorb(g: ImportGraph, producer: Node, add: Node): void {
  producer.outputs[0] = add.outputs[0]!;
  g.removeNode(add);
  g.touch(producer);
}

/**
 * `MatMul(x, W) + b` (W a 2-D constant, b a vector on the last axis) → kg.Dense(x, W, b), and
 * `Gemm(A, B) + b` without C → Gemm(A, B, b): Keras's Dense with its bias.
 */
export function fuseDenseBias(g: ImportGraph): number {
  let fused = 0;
  for (const n of [...g.nodes]) {
    const isMatMul = n.op === "MatMul" && !n.domain && g.isConstant(n.inputs[1]!) && !g.isConstant(n.inputs[0]!);
    const isGemm = n.op === "Gemm" && !n.domain && !n.inputs[2] && n.attrs.transA !== 1;
    if (!isMatMul && !isGemm) continue;
    const w = g.constant(n.inputs[1]!);
    if (!w || w.dims.length !== 2) continue;
    const add = soleConsumer(g, n.outputs[0]!);
    if (!add || add.op !== "Add" || add.domain) continue;
    const operand = constOperand(g, add);
    const units = isGemm && n.attrs.transB === 1 ? w.dims[0]! : w.dims[1]!;
    if (!operand || !isLastAxisVector(operand.c, units)) continue;
    if (isMatMul) {
      n.op = "Dense";
      n.domain = "kg";
      n.inputs = [n.inputs[0]!, n.inputs[1]!, add.inputs[operand.index]!];
    } else {
      const beta = typeof n.attrs.beta === "number" ? n.attrs.beta : 1;
      const scaled = beta === 1 ? operand.c : elementwise([operand.c], "float32", (v) => v / beta);
      n.inputs = [
        n.inputs[0]!,
        n.inputs[1]!,
        beta === 1 ? add.inputs[operand.index]! : addConst(g, `${n.name}_bias`, scaled),
      ];
    }
    absorb(g, n, add);
    fused++;
  }
  return fused;
}

function isLastAxisVector(c: Const, units: number): boolean {
  const n = sizeOf(c.dims);
  return (n === units || n === 1) && c.dims.slice(0, -1).every((d) => d === 1);
}

/** `Conv(x, W) + b` with b varying only along the channel axis → Conv(x, W, b). */
export function fuseConvBias(g: ImportGraph): number {
  let fused = 0;
  for (const n of [...g.nodes]) {
    if ((n.op !== "Conv" && n.op !== "ConvTranspose") || n.domain || n.inputs[2]) continue;
    const add = soleConsumer(g, n.outputs[0]!);
    if (!add || add.op !== "Add" || add.domain) continue;
    const operand = constOperand(g, add);
    const shape = g.value(n.outputs[0]!).shape;
    if (!operand || !shape) continue;
    const channel = n.attrs[CHANNELS_LAST] === 1 ? shape.length - 1 : 1;
    const axis = channelAxisOf(operand.c, shape);
    const channels = shape[channel];
    if (typeof channels !== "number" || (axis !== channel && axis !== -1)) continue;
    const vec = broadcastTo({ ...operand.c, dims: [sizeOf(operand.c.dims)] }, [channels]);
    n.inputs = [
      n.inputs[0]!,
      n.inputs[1]!,
      addConst(g, `${n.name}_bias`, { dims: vec.dims, data: Float32Array.from(numbers(vec)), dtype: "float32" }),
    ];
    absorb(g, n, add);
    fused++;
  }
  return fused;
}

/** Nodes that map to a Keras layer with an `activation` argument. */
function takesActivation(g: ImportGraph, n: Node): boolean {
  if (n.domain === "kg") return n.op === "Dense";
  if (n.domain) return false;
  if (n.op === "Gemm" || n.op === "Conv" || n.op === "ConvTranspose") return true;
  return (
    n.op === "MatMul" &&
    g.isConstant(n.inputs[1]!) &&
    !g.isConstant(n.inputs[0]!) &&
    g.constant(n.inputs[1]!)!.dims.length === 2
  );
}

/** Dense / Conv followed by an activation function only it reads → one layer with `activation`. */
export function fuseActivations(g: ImportGraph): number {
  let fused = 0;
  for (const n of [...g.nodes]) {
    if (!takesActivation(g, n) || n.attrs.kg_activation !== undefined) continue;
    const act = soleConsumer(g, n.outputs[0]!);
    if (!act) continue;
    const name = kerasActivation(g, act);
    if (!name) continue;
    n.attrs.kg_activation = name;
    absorb(g, n, act);
    fused++;
  }
  return fused;
}
