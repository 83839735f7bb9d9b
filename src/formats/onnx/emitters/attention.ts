import type { Val } from "../emitter.js";
import { attr } from "../builder.js";
import type { EmitContext, Emitter } from "../emitter.js";
import { float32Values } from "../tensor-data.js";

/** A boolean (1, T, S) lower-triangular mask: query i sees keys j <= i (Keras's causal mask). */
function causalMask(ctx: EmitContext, t: number, s: number): string {
  const data = new Uint8Array(t * s);
  for (let i = 0; i < t; i++) for (let j = 0; j < s; j++) data[i * s + j] = j <= i ? 1 : 0;
  return ctx.g.initializer(`causal_${t}x${s}`, 9, [1, t, s], data);
}

/** Scores where the mask is false become scores - 1e9 (Keras's padding rule), so softmax ignores them. */
function applyMask(ctx: EmitContext, scores: string, mask: string | null): string {
  if (!mask) return scores;
  const { g } = ctx;
  const keep = g.op("Cast", [mask], { to: attr.i(9) });
  return g.op("Where", [keep, scores, g.op("Sub", [scores, g.float32s([1e9])])]);
}

function kwarg(ctx: EmitContext, key: string): unknown {
  return (ctx.kwargs as Record<string, unknown>)[key];
}

function qvk(ctx: EmitContext): { q: Val; v: Val; k: Val } {
  const list = Array.isArray(ctx.args[0]) ? (ctx.args[0] as Val[]) : ctx.inputs;
  const [q, v, k] = list;
  if (!q || !v) return ctx.unsupported("attention needs [query, value] inputs");
  return { q, v, k: k ?? v };
}

/** Causal and key masks of a dot-product attention layer call, combined. */
function scoreMask(ctx: EmitContext, q: Val, k: Val): string | null {
  if (kwarg(ctx, "use_causal_mask") !== true) return null;
  const t = q.shape[1];
  const s = k.shape[1];
  if (typeof t !== "number" || typeof s !== "number")
    return ctx.unsupported("a causal mask over unknown sequence lengths");
  return causalMask(ctx, t, s);
}

function finish(ctx: EmitContext, scores: string, v: Val): string[] {
  const { g } = ctx;
  const weights = g.op("Softmax", [scores], { axis: attr.i(-1) });
  const out = g.op("MatMul", [weights, v.name]);
  return kwarg(ctx, "return_attention_scores") === true ? [out, weights] : [out];
}

function scalarWeight(ctx: EmitContext, name: string): string {
  return ctx.param(name, () => ({ dims: [], data: Float32Array.from(float32Values(ctx.weight(name)).subarray(0, 1)) }));
}

/** `Attention(use_scale=False, score_mode="dot")`: softmax(q·kᵀ · scale) · v (Luong-style). */
const attention: Emitter = (ctx) => {
  const { g } = ctx;
  const { q, v, k } = qvk(ctx);
  const mode = String(ctx.config.get("score_mode") ?? "dot");
  const useScale = ctx.config.get("use_scale") === true;
  let scores: string;
  if (mode === "dot") {
    scores = g.op("MatMul", [q.name, g.transpose(k.name, [0, 2, 1])]);
    if (useScale) scores = g.op("Mul", [scores, scalarWeight(ctx, "scale")]);
  } else {
    let sum = g.op("Add", [g.unsqueeze(q.name, [2]), g.unsqueeze(k.name, [1])]);
    if (useScale) sum = g.op("Mul", [sum, scalarWeight(ctx, "scale")]);
    scores = g.op("Mul", [
      g.reduce("ReduceSum", g.op("Tanh", [sum]), [-1], false),
      scalarWeight(ctx, "concat_score_weight"),
    ]);
  }
  return finish(ctx, applyMask(ctx, scores, scoreMask(ctx, q, k)), v);
};

/** `AdditiveAttention(use_scale=True)`: softmax(sum(scale · tanh(q + k))) · v (Bahdanau-style). */
const additiveAttention: Emitter = (ctx) => {
  const { g } = ctx;
  const { q, v, k } = qvk(ctx);
  let t = g.op("Tanh", [g.op("Add", [g.unsqueeze(q.name, [2]), g.unsqueeze(k.name, [1])])]);
  if (ctx.config.get("use_scale") !== false && ctx.hasWeight("scale")) {
    t = g.op("Mul", [t, ctx.weightParam("scale", "scale")]);
  }
  const scores = g.reduce("ReduceSum", t, [-1], false);
  return finish(ctx, applyMask(ctx, scores, scoreMask(ctx, q, k)), v);
};

/**
 * `MultiHeadAttention(num_heads, key_dim, value_dim=None, use_bias=True, output_shape=None)` over
 * (batch, seq, features) inputs: the EinsumDense projections as MatMuls on (features, heads·dim)
 * kernels (1/sqrt(key_dim) folded into the query's), heads split by Reshape + Transpose, softmax, and
 * the output projection.
 */
const multiHeadAttention: Emitter = (ctx) => {
  const { g } = ctx;
  const kw = ctx.kwargs as Record<string, unknown>;
  const q = (ctx.args[0] as Val | undefined) ?? (kw.query as Val);
  const v = (ctx.args[1] as Val | undefined) ?? (kw.value as Val);
  const k = (ctx.args[2] as Val | undefined) ?? (kw.key as Val | undefined) ?? v;
  if (q.shape.length !== 3) ctx.unsupported("MultiHeadAttention over inputs of rank other than 3");
  if (ctx.config.get("use_gate") === true) ctx.unsupported("MultiHeadAttention with use_gate=True");
  const heads = ctx.config.int("num_heads");
  const keyDim = ctx.config.int("key_dim");
  const valueDim = Number(ctx.config.get("value_dim") ?? keyDim);
  const scale = 1 / Math.sqrt(keyDim);
  const flat = (name: string, factor = 1) =>
    ctx.param(`${name.replace("/", "_")}`, () => {
      const w = ctx.weight(name);
      const rows = w.shape[0]!;
      return { dims: [rows, w.size / rows], data: float32Values(w).map((x) => x * factor) };
    });
  const bias = (name: string, factor = 1) =>
    ctx.param(`${name.replace("/", "_")}`, () => {
      const w = ctx.weight(name);
      return { dims: [w.size], data: float32Values(w).map((x) => x * factor) };
    });
  const hasBias = ctx.config.get("use_bias") !== false;
  const project = (x: Val, dense: string, dim: number, factor: number, perm: number[]) => {
    let y = g.op("MatMul", [x.name, flat(`${dense}/kernel`, factor)]);
    if (hasBias) y = g.op("Add", [y, bias(`${dense}/bias`, factor)]);
    return g.transpose(g.reshape(y, [0, 0, heads, dim]), perm);
  };
  const qh = project(q, "query", keyDim, scale, [0, 2, 1, 3]); // (B, N, T, H)
  const kh = project(k, "key", keyDim, 1, [0, 2, 3, 1]); // (B, N, H, S)
  const vh = project(v, "value", valueDim, 1, [0, 2, 1, 3]); // (B, N, S, Hv)
  let scores = g.op("MatMul", [qh, kh]);
  let mask: string | null = null;
  const given = kw.attention_mask as Val | null | undefined;
  if (given && typeof given === "object" && "name" in given) mask = g.unsqueeze(given.name, [1]);
  if (kw.use_causal_mask === true) {
    const t = q.shape[1];
    const s = k.shape[1];
    if (typeof t !== "number" || typeof s !== "number") ctx.unsupported("a causal mask over unknown sequence lengths");
    const causal = causalMask(ctx, t as number, s as number);
    mask = mask ? g.op("And", [g.op("Cast", [mask], { to: attr.i(9) }), causal]) : causal;
  }
  scores = applyMask(ctx, scores, mask);
  const weights = g.op("Softmax", [scores], { axis: attr.i(-1) });
  const context = g.reshape(g.transpose(g.op("MatMul", [weights, vh]), [0, 2, 1, 3]), [0, 0, heads * valueDim]);
  let out = g.op("MatMul", [
    context,
    ctx.param("attention_output_kernel", () => {
      const w = ctx.weight("attention_output/kernel");
      return { dims: [heads * valueDim, w.size / (heads * valueDim)], data: float32Values(w) };
    }),
  ]);
  if (hasBias) out = g.op("Add", [out, bias("attention_output/bias")]);
  return kw.return_attention_scores === true ? [out, weights] : [out];
};

export const attentionEmitters: Record<string, Emitter> = {
  Attention: attention,
  AdditiveAttention: additiveAttention,
  MultiHeadAttention: multiHeadAttention,
};
