import { sizeOf } from "../const.js";
import type { ImportGraph } from "../graph.js";

/**
 * Known exporter mistakes, undone where the intent is certain and the file is otherwise unusable.
 *
 * OnnxMLTools 1.3 exported Keras's BatchNormalization after a Dense as `Transpose → BatchNormalization
 * → Transpose` on the 2-D (batch, features) tensor. ONNX's BatchNormalization normalizes axis 1, which
 * after the transpose is the batch; its scale has one value per feature, so the file is invalid
 * (onnxruntime refuses it: "Invalid input scale"). The intent — Keras's per-feature normalization — is
 * the BatchNormalization on the untransposed tensor.
 */
export function repairTransposedBatchNorm(g: ImportGraph): number {
  let repaired = 0;
  for (const bn of [...g.nodes]) {
    if (bn.op !== "BatchNormalization" || bn.domain) continue;
    const before = g.producer(bn.inputs[0]!);
    const after = g.consumers(bn.outputs[0]!);
    if (!before || before.op !== "Transpose" || after.length !== 1 || after[0]!.op !== "Transpose") continue;
    const x = g.value(before.inputs[0]!).shape;
    const scale = g.constant(bn.inputs[1]!);
    const is2d = (p: unknown) => p === undefined || (Array.isArray(p) && p.join(",") === "1,0");
    if (!x || x.length !== 2 || !scale || !is2d(before.attrs.perm) || !is2d(after[0]!.attrs.perm)) continue;
    if (sizeOf(scale.dims) !== x[1] || g.useCount(before.outputs[0]!) !== 1) continue;
    bn.inputs[0] = before.inputs[0]!;
    bn.outputs[0] = after[0]!.outputs[0]!;
    g.value(bn.outputs[0]).shape = [...x];
    g.touch(bn);
    g.removeNode(after[0]!);
    g.removeNode(before);
    repaired++;
  }
  return repaired;
}
