import { attr } from "../builder.js";
import type { EmitContext, Emitter } from "../emitter.js";
import { float32Values } from "../tensor-data.js";

function axesOf(ctx: EmitContext, rank: number, fallback = -1): number[] {
  const v = ctx.config.get("axis") ?? fallback;
  const list = Array.isArray(v) ? (v as number[]) : [Number(v)];
  return list.map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
}

/** A per-feature constant shaped to broadcast against a rank-`rank` tensor along `axis`. */
function broadcastDims(size: number, axis: number, rank: number): number[] {
  return [size, ...Array<number>(rank - 1 - axis).fill(1)];
}

/**
 * `BatchNormalization` at inference: `(x - moving_mean) / sqrt(moving_variance + epsilon) * gamma + beta`,
 * folded into one Mul and one Add per channel (computed in float64), which the layout pass moves freely
 * and onnxruntime fuses into a preceding Conv.
 */
const batchNormalization: Emitter = (ctx) => {
  const x = ctx.inputs[0]!;
  const rank = x.shape.length;
  const [axis] = axesOf(ctx, rank);
  const eps = Number(ctx.config.get("epsilon") ?? 1e-3);
  const mean = float32Values(ctx.weight("moving_mean"));
  const variance = float32Values(ctx.weight("moving_variance"));
  const n = mean.length;
  const gamma = ctx.hasWeight("gamma") && ctx.config.get("scale") !== false ? float32Values(ctx.weight("gamma")) : null;
  const beta = ctx.hasWeight("beta") && ctx.config.get("center") !== false ? float32Values(ctx.weight("beta")) : null;
  const dims = broadcastDims(n, axis!, rank);
  // Both constants in one pass (it runs cold, once per layer: ResNet50 has 26,560 channels).
  let folded: { scale: Float32Array; shift: Float32Array } | undefined;
  const fold = () => {
    const scale = new Float32Array(n);
    const shift = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const a = (gamma ? gamma[i]! : 1) / Math.sqrt(variance[i]! + eps);
      scale[i] = a;
      shift[i] = (beta ? beta[i]! : 0) - mean[i]! * a;
    }
    return { scale, shift };
  };
  const scale = ctx.param("scale", () => ({ dims, data: (folded ??= fold()).scale }));
  const shift = ctx.param("shift", () => ({ dims, data: (folded ??= fold()).shift }));
  return [ctx.g.op("Add", [ctx.g.op("Mul", [x.name, scale]), shift])];
};

/** mean and 1/sqrt(var + eps) over `axes` (Keras's `moments` + rsqrt), kept for broadcasting. */
function normalize(ctx: EmitContext, x: string, axes: number[], eps: number): string {
  const { g } = ctx;
  const centered = g.op("Sub", [x, g.reduce("ReduceMean", x, axes, true)]);
  const variance = g.reduce("ReduceMean", g.op("Mul", [centered, centered]), axes, true);
  return g.op("Mul", [centered, g.op("Reciprocal", [g.op("Sqrt", [g.op("Add", [variance, g.float32s([eps])])])])]);
}

function gammaBeta(ctx: EmitContext, y: string, shapeDims: number[]): string {
  const { g } = ctx;
  const param = (name: string) => ctx.weightParam(name, name, { dims: shapeDims });
  if (ctx.config.get("scale") !== false && ctx.hasWeight("gamma")) y = g.op("Mul", [y, param("gamma")]);
  if (ctx.config.get("center") !== false && ctx.hasWeight("beta")) y = g.op("Add", [y, param("beta")]);
  return y;
}

/** `LayerNormalization(axis=-1, epsilon=1e-3, center, scale, rms_scaling)`: the ONNX op from opset 17 when it fits. */
const layerNormalization: Emitter = (ctx) => {
  const { g } = ctx;
  const x = ctx.inputs[0]!;
  const rank = x.shape.length;
  const axes = axesOf(ctx, rank);
  const eps = Number(ctx.config.get("epsilon") ?? 1e-3);
  const trailing = axes.every((a, i) => a === rank - axes.length + i);
  const normDims = axes.map((a) => x.shape[a]!);
  const rms = ctx.config.get("rms_scaling") === true;
  if (g.opset >= 17 && trailing && !rms && normDims.every((d) => d !== null)) {
    const size = normDims.reduce((a, b) => a * b, 1);
    const scale =
      ctx.config.get("scale") !== false && ctx.hasWeight("gamma")
        ? ctx.weightParam("gamma", "gamma", { dims: normDims })
        : ctx.param("ones", () => ({ dims: normDims, data: new Float32Array(size).fill(1) }));
    const inputs = [x.name, scale];
    if (ctx.config.get("center") !== false && ctx.hasWeight("beta")) {
      inputs.push(ctx.weightParam("beta", "beta", { dims: normDims }));
    }
    return [g.op("LayerNormalization", inputs, { axis: attr.i(axes[0]!), epsilon: attr.f(eps) })];
  }
  // Keras broadcasts gamma/beta of shape (input_shape[axis] for axis in axes) over the other axes.
  const bdims = x.shape.map((d, i) => (axes.includes(i) ? d! : 1)).slice(axes[0]);
  if (rms) {
    const centered = g.op("Sub", [x.name, g.reduce("ReduceMean", x.name, axes, true)]);
    const variance = g.reduce("ReduceMean", g.op("Mul", [centered, centered]), axes, true);
    const inv = g.op("Reciprocal", [g.op("Sqrt", [g.op("Add", [variance, g.float32s([eps])])])]);
    const y = g.op("Mul", [x.name, inv]);
    return [ctx.hasWeight("gamma") ? g.op("Mul", [y, ctx.weightParam("gamma", "gamma", { dims: bdims })]) : y];
  }
  return [gammaBeta(ctx, normalize(ctx, x.name, axes, eps), bdims)];
};

/** `GroupNormalization(groups, axis=-1)`: normalize over (spatial…, channels/groups) per group, then gamma/beta per channel. */
const groupNormalization: Emitter = (ctx) => {
  const { g } = ctx;
  const x = ctx.inputs[0]!;
  const rank = x.shape.length;
  const [axis] = axesOf(ctx, rank);
  if (axis !== rank - 1) ctx.unsupported(`GroupNormalization on axis ${axis} (only the last axis is translated)`);
  const groups = ctx.config.int("groups");
  const channels = x.shape[rank - 1]!;
  const grouped = g.reshape(x.name, [...Array<number>(rank - 1).fill(0), groups, channels / groups]);
  const axes = Array.from({ length: rank }, (_, i) => i + 1).filter((a) => a !== rank - 1);
  const normalized = normalize(ctx, grouped, axes, Number(ctx.config.get("epsilon") ?? 1e-3));
  const back = g.reshape(normalized, [...Array<number>(rank - 1).fill(0), channels]);
  return [gammaBeta(ctx, back, [channels])];
};

/** `UnitNormalization(axis=-1)`: `x * rsqrt(max(sum(x²), 1e-24))` (keras.ops.normalize, order 2). */
const unitNormalization: Emitter = (ctx) => {
  const { g } = ctx;
  const x = ctx.inputs[0]!;
  const axes = axesOf(ctx, x.shape.length);
  const sum = g.reduce("ReduceSum", g.op("Mul", [x.name, x.name]), axes, true);
  const inv = g.op("Reciprocal", [g.op("Sqrt", [g.op("Max", [sum, g.float32s([1e-24])])])]);
  return [g.op("Mul", [x.name, inv])];
};

/** `RMSNormalization(axis=-1, epsilon=1e-6)`: `x * rsqrt(mean(x²) + epsilon) * scale`. */
const rmsNormalization: Emitter = (ctx) => {
  const { g } = ctx;
  const x = ctx.inputs[0]!;
  const axes = axesOf(ctx, x.shape.length);
  const eps = Number(ctx.config.get("epsilon") ?? 1e-6);
  const ms = g.reduce("ReduceMean", g.op("Mul", [x.name, x.name]), axes, true);
  const y = g.op("Mul", [x.name, g.op("Reciprocal", [g.op("Sqrt", [g.op("Add", [ms, g.float32s([eps])])])])]);
  if (!ctx.hasWeight("scale")) return [y];
  return [g.op("Mul", [y, ctx.weightParam("scale", "scale")])];
};

export const normalizationEmitters: Record<string, Emitter> = {
  BatchNormalization: batchNormalization,
  LayerNormalization: layerNormalization,
  GroupNormalization: groupNormalization,
  UnitNormalization: unitNormalization,
  RMSNormalization: rmsNormalization,
};
