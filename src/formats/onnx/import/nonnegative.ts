import { clipBounds } from "./mappers/activations.js";
import { NodeReader } from "./attrs.js";
import type { ImportGraph } from "./graph.js";

const NON_NEGATIVE_ACTIVATIONS = new Set([
  "relu",
  "relu6",
  "sigmoid",
  "softmax",
  "softplus",
  "hard_sigmoid",
  "exponential",
]);
const NON_NEGATIVE_OPS = new Set(["Relu", "Sigmoid", "Softmax", "Softplus", "Exp", "HardSigmoid", "Abs"]);
/** Ops whose output is non-negative when their (first) input is. */
const PRESERVING = new Set([
  "MaxPool",
  "Identity",
  "Dropout",
  "Transpose",
  "Reshape",
  "Flatten",
  "Squeeze",
  "Unsqueeze",
  "Permute",
  "Cast",
]);

/**
 * True when every element of the value is provably ≥ 0 (it comes from a ReLU, a sigmoid, a softmax,
 * ... through ops that keep signs): zero padding then leaves a max pooling's result unchanged.
 */
export function isNonNegative(g: ImportGraph, value: string, depth = 0): boolean {
  const n = g.producer(value);
  if (!n || depth > 16) return false;
  const fused = n.attrs.kg_activation;
  if (typeof fused === "string") return NON_NEGATIVE_ACTIVATIONS.has(fused);
  if (!n.domain && NON_NEGATIVE_OPS.has(n.op)) return true;
  if (!n.domain && n.op === "Clip") return clipBounds(new NodeReader(g, n)).lo >= 0;
  if (PRESERVING.has(n.op)) return isNonNegative(g, n.inputs[0]!, depth + 1);
  return false;
}
