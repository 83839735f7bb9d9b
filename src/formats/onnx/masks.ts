import { attr } from "./builder.js";
import type { EmitContext, Val } from "./emitter.js";

/*
 * Keras masks (`Embedding(mask_zero=True)`, `Masking`) ride along as a boolean (batch, time) value on
 * the Val they belong to, the way Keras attaches `_keras_mask` to tensors. Layers that support masking
 * pass it on; merges combine it; layers that use it (recurrent layers, GlobalAveragePooling1D) read it;
 * the rest drop it, as Keras does.
 */

/** Layers with `supports_masking = True` that keep the mask unchanged (keras/src/layers). */
const PASS = new Set([
  "Activation",
  "ELU",
  "LeakyReLU",
  "PReLU",
  "ReLU",
  "ThresholdedReLU",
  "Dense",
  "Identity",
  "Lambda",
  "BatchNormalization",
  "GroupNormalization",
  "LayerNormalization",
  "UnitNormalization",
  "Normalization",
  "Rescaling",
  "ActivityRegularization",
  "AlphaDropout",
  "Dropout",
  "GaussianDropout",
  "GaussianNoise",
  "SpatialDropout1D",
  "SpatialDropout2D",
  "SpatialDropout3D",
  "TimeDistributed",
  "EinsumDense",
]);
/** Merge layers: `Merge.compute_mask` is the logical and of the inputs' masks. */
const MERGE = new Set(["Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum", "Concatenate"]);
/** Layers whose result depends on a mask they receive, which the ONNX export does not apply yet. */
const UNSUPPORTED = new Set([
  "Attention",
  "AdditiveAttention",
  "MultiHeadAttention",
  "GroupedQueryAttention",
  "Softmax",
  "ConvLSTM1D",
  "ConvLSTM2D",
  "ConvLSTM3D",
]);

/** Refuses a masked input where the mask would change the result and is not applied. */
export function checkMaskUse(ctx: EmitContext): void {
  if (!ctx.inputs.some((v) => v.mask)) return;
  if (UNSUPPORTED.has(ctx.layer.className)) {
    ctx.unsupported(
      "its input carries a Keras mask (from Embedding(mask_zero=True) or Masking), which this layer would apply; " +
        "the ONNX export applies masks in recurrent layers and GlobalAveragePooling1D only",
    );
  }
  if (ctx.layer.className === "Concatenate") {
    const rank = ctx.inputs[0]!.shape.length;
    const axis = Number(ctx.config.get("axis") ?? -1);
    if ((axis < 0 ? axis + rank : axis) !== rank - 1)
      ctx.unsupported("concatenating masked tensors along a non-feature axis");
  }
}

/** The masks of a call's outputs: what the emitter set, else passed on or merged from the inputs. */
export function outputMasks(ctx: EmitContext, set: (string | null | undefined)[], outputs: number): (string | null)[] {
  const className = ctx.layer.className;
  return Array.from({ length: outputs }, (_, i) => {
    if (set[i] !== undefined) return set[i];
    const masks = ctx.inputs.map((v) => v.mask).filter((m): m is string => !!m);
    if (!masks.length) return null;
    if (PASS.has(className)) return ctx.inputs[0]!.mask ?? null;
    if (MERGE.has(className)) return masks.slice(1).reduce((a, m) => ctx.g.op("And", [a, m]), masks[0]!);
    return null;
  });
}

/** The mask of the first input as float 1/0 shaped (batch, time, 1), to weigh features by. */
export function floatMask(ctx: EmitContext, v: Val): string {
  return ctx.g.unsqueeze(ctx.g.op("Cast", [v.mask!], { to: attr.i(1) }), [2]);
}
