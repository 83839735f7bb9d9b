import { emitActivation } from "../activation.js";
import { attr } from "../builder.js";
import type { EmitContext, Emitter } from "../emitter.js";
import { float32Values } from "../tensor-data.js";

/** Passes its input through: inference-only layers (Dropout, GaussianNoise, augmentation layers, ...). */
export const identityEmitter: Emitter = (ctx) => [ctx.inputs[0]!.name];

/** A LoRA-adapted layer's kernel is computed (kernel + scaled A·B); a plain one is the weight itself. */
function kernelParam(ctx: EmitContext): string {
  const hasLora = typeof ctx.config.raw.lora_rank === "number" && ctx.hasWeight("lora_kernel_a");
  if (!hasLora) return ctx.weightParam("kernel", "kernel");
  return ctx.param("kernel", () => ({ dims: ctx.weight("kernel").shape, data: kernelValues(ctx) }));
}

/** A kernel, with a LoRA update folded in when the layer has one (Keras: kernel + (alpha/rank) A·B). */
export function kernelValues(ctx: EmitContext, name = "kernel"): Float32Array {
  const kernel = float32Values(ctx.weight(name));
  const rank = ctx.config.raw.lora_rank;
  if (typeof rank !== "number" || !ctx.hasWeight(`lora_${name}_a`)) return kernel;
  const a = ctx.weight(`lora_${name}_a`);
  const b = ctx.weight(`lora_${name}_b`);
  const av = float32Values(a);
  const bv = float32Values(b);
  const scale = Number(ctx.config.raw.lora_alpha ?? rank) / rank;
  const rows = a.shape.slice(0, -1).reduce((x, y) => x * y, 1);
  const cols = b.shape[1]!;
  const out = Float32Array.from(kernel);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let r = 0; r < rank; r++) s += av[i * rank + r]! * bv[r * cols + j]!;
      out[i * cols + j]! += scale * s;
    }
  }
  return out;
}

/** `Dense`: Gemm for rank-2 inputs, MatMul + Add otherwise, then the activation. */
const dense: Emitter = (ctx) => {
  const { g } = ctx;
  const x = ctx.inputs[0]!;
  const kernel = kernelParam(ctx);
  const bias = ctx.config.get("use_bias") !== false && ctx.hasWeight("bias") ? ctx.weightParam("bias", "bias") : null;
  let y: string;
  if (x.shape.length === 2) y = g.op("Gemm", bias ? [x.name, kernel, bias] : [x.name, kernel]);
  else {
    y = g.op("MatMul", [x.name, kernel]);
    if (bias) y = g.op("Add", [y, bias]);
  }
  return [emitActivation(g, ctx.config.get("activation"), y, ctx.where)];
};

/** `Activation(activation)`. */
const activation: Emitter = (ctx) => [
  emitActivation(ctx.g, ctx.config.get("activation"), ctx.inputs[0]!.name, ctx.where),
];

/** `Embedding`: Gather rows of the table; Keras casts non-integer inputs to int32 first. */
const embedding: Emitter = (ctx) => {
  const { g } = ctx;
  const x = ctx.inputs[0]!;
  const table = ctx.weightParam("embeddings", "embeddings");
  const ids =
    x.dtype.startsWith("int") || x.dtype.startsWith("uint") ? x.name : g.op("Cast", [x.name], { to: attr.i(7) });
  // mask_zero: token 0 is padding; Keras's mask is ids != 0 (computed only if a layer reads it).
  if (ctx.config.get("mask_zero") === true && x.shape.length === 2) {
    const asInt64 = x.dtype === "int64" ? x.name : g.op("Cast", [x.name], { to: attr.i(7) });
    ctx.setOutputMask(0, g.op("Not", [g.op("Equal", [asInt64, g.int64s([0], [])])]));
  }
  return [g.op("Gather", [table, ids], { axis: attr.i(0) })];
};

/**
 * `ReversibleEmbedding(input_dim, output_dim, tie_weights=True, reverse_dtype=None, logit_soft_cap=None)`:
 * an Embedding lookup, or with `reverse=True` logits `x · embeddingsᵀ` (untied: `x · reverse_embeddings`),
 * soft-capped as `tanh(logits / cap) · cap`.
 */
const reversibleEmbedding: Emitter = (ctx) => {
  const { g } = ctx;
  if (ctx.hasWeight("embeddings_scale")) ctx.unsupported("a quantized ReversibleEmbedding (int8 / int4 tables)");
  if (ctx.kwargs.reverse !== true) return embedding(ctx);
  const reverseDtype = ctx.config.get("reverse_dtype") ?? null;
  if (reverseDtype !== null && reverseDtype !== "float32") {
    ctx.unsupported(`reverse_dtype='${String(reverseDtype)}' (the exported graph computes in float32)`);
  }
  const x = ctx.inputs[0]!;
  const input = x.dtype.startsWith("float") ? x.name : g.op("Cast", [x.name], { to: attr.i(1) });
  const kernel =
    ctx.config.get("tie_weights") === false
      ? ctx.weightParam("reverse_embeddings", "reverse_embeddings")
      : ctx.weightParam("embeddings_transposed", "embeddings", { perm: [1, 0] });
  const logits = g.op("MatMul", [input, kernel]);
  const cap = ctx.config.get("logit_soft_cap") ?? null;
  if (cap === null) return [logits];
  const c = g.float32s([Number(cap)]);
  return [g.op("Mul", [g.op("Tanh", [g.op("Div", [logits, c])]), c])];
};

/** `EinsumDense(equation, output_shape, activation, bias_axes)`: Einsum, then the bias (trailing-aligned). */
const einsumDense: Emitter = (ctx) => {
  const { g } = ctx;
  const equation = ctx.config.string("equation");
  const kernel = kernelParam(ctx);
  let y = g.op("Einsum", [ctx.inputs[0]!.name, kernel], { equation: attr.s(equation) });
  if (ctx.hasWeight("bias")) y = g.op("Add", [y, ctx.weightParam("bias", "bias")]);
  return [emitActivation(g, ctx.config.get("activation"), y, ctx.where)];
};

/** `Masking(mask_value)`: zeroes the timesteps whose features all equal mask_value (the mask itself is not propagated). */
const masking: Emitter = (ctx) => {
  const { g } = ctx;
  const x = ctx.inputs[0]!.name;
  const value = g.float32s([Number(ctx.config.get("mask_value") ?? 0)]);
  const keep = g.reduce(
    "ReduceMax",
    g.op("Cast", [g.op("Not", [g.op("Equal", [x, value])])], { to: attr.i(1) }),
    [-1],
    true,
  );
  if (ctx.inputs[0]!.shape.length === 3) ctx.setOutputMask(0, g.op("Cast", [g.squeeze(keep, [-1])], { to: attr.i(9) }));
  return [g.op("Mul", [x, keep])];
};

/** The `CustomDense`-style guide layers are not built in; everything else in core/ is. */
export const coreEmitters: Record<string, Emitter> = {
  InputLayer: identityEmitter,
  Dense: dense,
  Activation: activation,
  Embedding: embedding,
  ReversibleEmbedding: reversibleEmbedding,
  EinsumDense: einsumDense,
  Identity: identityEmitter,
  Masking: masking,
};
