import { scalarOf } from "../const.js";
import type { ImportGraph } from "../graph.js";
import { affineOperand, normalized, producer, reduceAxes, replaceWithNormalization, soleUser } from "./layer-norm.js";

/**
 * RMS normalization as exporters write it (our own RMSNormalization emitter, torch's rms_norm before
 * opset 23): `y = x / sqrt(mean(x²) + ε)` (or `x · reciprocal(...)`) over trailing non-batch axes,
 * optionally `· scale` — one kg.RMSNormalization (Keras's RMSNormalization, whose scale spans those axes).
 * Other axes are left alone: Keras multiplies by its scale with trailing broadcasting.
 */
export function recognizeRmsNorm(g: ImportGraph): number {
  let found = 0;
  for (const sqrt of [...g.nodes]) {
    if (sqrt.op !== "Sqrt" || sqrt.domain || !g.nodes.includes(sqrt)) continue;
    const addEps = producer(g, sqrt.inputs[0]!, "Add");
    const eps = addEps ? scalarOf(g.constant(addEps.inputs[1]!) ?? g.constant(addEps.inputs[0]!)) : undefined;
    const meanSq = addEps ? producer(g, addEps.inputs.find((i) => !g.isConstant(i)) ?? "", "ReduceMean") : undefined;
    if (eps === undefined || !meanSq) continue;
    const sq = g.producer(meanSq.inputs[0]!);
    if (!sq || sq.domain) continue;
    const isSquare =
      (sq.op === "Pow" && scalarOf(g.constant(sq.inputs[1]!)) === 2) ||
      (sq.op === "Mul" && sq.inputs[0] === sq.inputs[1]);
    if (!isSquare) continue;
    const x = sq.inputs[0]!;
    const shape = g.value(x).shape;
    if (!shape) continue;
    const rank = shape.length;
    const axes = reduceAxes(g, meanSq, rank);
    const trailing = axes?.every((a, i) => a === rank - axes.length + i);
    if (!axes?.length || !trailing || axes.includes(0) || axes.some((a) => typeof shape[a] !== "number")) continue;
    const div = normalized(g, x, sqrt.outputs[0]!);
    if (!div) continue;
    const mul = soleUser(g, div.outputs[0]!, "Mul");
    const scale = affineOperand(g, mul, div.outputs[0]!, shape, axes);
    const last = scale ? mul! : div;
    replaceWithNormalization(g, last, "RMSNormalization", [x, scale ?? ""], axes, eps);
    found++;
  }
  return found;
}
