import { NodeReader } from "../attrs.js";
import { scalarOf } from "../const.js";
import type { ImportGraph, Node } from "../graph.js";
import { normalizeAxis } from "../params.js";
import { type LayerSpec, type MapContext, type Mapper, single } from "./context.js";

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));

/** Clip's bounds: attributes before opset 11, optional scalar inputs from 11. */
export function clipBounds(r: NodeReader): { lo: number; hi: number } {
  if (r.graph.opset < 11) return { lo: r.float("min", -Infinity), hi: r.float("max", Infinity) };
  const bound = (i: number, fallback: number) => {
    const c = r.constInput(i, i === 1 ? "min" : "max");
    return c ? (scalarOf(c) ?? r.unsupported("has a non-scalar bound")) : fallback;
  };
  return { lo: bound(1, -Infinity), hi: bound(2, Infinity) };
}

/** Softmax-like ops' normalized axis and whether it is the last one (opset < 13 flattens to 2-D). */
function softmaxAxes(r: NodeReader, rank: number): number[] {
  const axis = normalizeAxis(r.int("axis", r.graph.opset >= 13 ? -1 : 1), rank);
  if (r.graph.opset >= 13) return [axis];
  return Array.from({ length: rank - axis }, (_, i) => axis + i);
}

/**
 * The Keras activation function (a name a Dense / Conv `activation` or an Activation layer takes)
 * that computes exactly what the node does, or null when it takes parameters Keras's functions lack.
 */
export function kerasActivation(g: ImportGraph, n: Node): string | null {
  if (n.domain === "kg" && n.op === "Swish") return "silu";
  if (n.domain === "kg" && n.op === "Gelu") return "gelu";
  if (n.domain) return null;
  const r = new NodeReader(g, n);
  const rank = g.value(n.inputs[0]!).shape?.length ?? 0;
  switch (n.op) {
    case "Relu":
      return "relu";
    case "Sigmoid":
      return "sigmoid";
    case "Tanh":
      return "tanh";
    case "Softplus":
      return "softplus";
    case "Softsign":
      return "softsign";
    case "Exp":
      return "exponential";
    case "HardSwish":
      return "hard_silu";
    case "Mish":
      return "mish";
    case "Softmax":
    case "LogSoftmax": {
      const axes = rank ? softmaxAxes(r, rank) : [];
      if (axes.length !== 1 || axes[0] !== rank - 1) return null;
      return n.op === "Softmax" ? "softmax" : "log_softmax";
    }
    case "Elu":
      return close(r.float("alpha", 1), 1) ? "elu" : null;
    case "Celu":
      return close(r.float("alpha", 1), 1) ? "celu" : null;
    case "Selu":
      return close(r.float("alpha", 1.67326319217681884765625), 1.6732632423543772) &&
        close(r.float("gamma", 1.05070102214813232421875), 1.0507009873554805)
        ? "selu"
        : null;
    case "HardSigmoid":
      return close(r.float("alpha", 0.2), 1 / 6) && close(r.float("beta", 0.5), 0.5) ? "hard_sigmoid" : null;
    case "Gelu":
      return r.string("approximate", "none") === "none" ? "gelu" : null;
    case "Clip": {
      const { lo, hi } = clipBounds(r);
      if (lo === 0 && hi === 6) return "relu6";
      if (lo === -1 && hi === 1) return "hard_tanh";
      if (lo === 0 && hi === Infinity) return "relu";
      return null;
    }
    default:
      return null;
  }
}

const activationLayer: Mapper = (ctx) => {
  const name = kerasActivation(ctx.graph, ctx.node);
  const x = ctx.input(0);
  const y = ctx.node.outputs[0]!;
  if (name) return [single("Activation", { activation: name }, x, y)];
  return parameterized(ctx, x, y);
};

/** Activations whose parameters need a layer's config (or two layers) rather than a function name. */
function parameterized(ctx: MapContext, x: string, y: string): LayerSpec[] {
  const rank = ctx.shape(0).length;
  switch (ctx.node.op) {
    case "LeakyRelu":
      return [single("LeakyReLU", { negative_slope: ctx.float("alpha", 0.01) }, x, y)];
    case "Elu":
      return [single("ELU", { alpha: ctx.float("alpha", 1) }, x, y)];
    case "ThresholdedRelu":
      return [single("ReLU", { threshold: ctx.float("alpha", 1) }, x, y)];
    case "Softmax": {
      const axes = softmaxAxes(ctx, rank);
      if (axes.includes(0)) ctx.unsupported("normalizes over the batch axis");
      return [single("Softmax", { axis: axes.length === 1 ? axes[0]! : axes }, x, y)];
    }
    case "HardSigmoid": {
      // max(0, min(1, alpha·x + beta))
      const mid = ctx.temp();
      return [
        single("Rescaling", { scale: ctx.float("alpha", 0.2), offset: ctx.float("beta", 0.5) }, x, mid),
        single("ReLU", { max_value: 1 }, mid, y),
      ];
    }
    case "Clip":
      return clipLayers(ctx, x, y);
    case "Neg":
      return [single("Rescaling", { scale: -1, offset: 0 }, x, y)];
    default:
      return ctx.unsupported(
        `${ctx.node.op} with these attributes has no Keras activation (${JSON.stringify(ctx.node.attrs)})`,
      );
  }
}

/** Clip(lo, hi) as ReLU(max_value) between two shifts when lo ≠ 0; min(x, hi) by reflection. */
function clipLayers(ctx: MapContext, x: string, y: string): LayerSpec[] {
  const { lo, hi } = clipBounds(ctx);
  if (lo === -Infinity && hi === Infinity) return [single("Identity", {}, x, y)];
  if (lo === 0) return [single("ReLU", { max_value: hi === Infinity ? null : hi }, x, y)];
  const a = ctx.temp();
  const b = ctx.temp();
  if (lo === -Infinity) {
    // min(x, hi) = hi - relu(hi - x)
    return [
      single("Rescaling", { scale: -1, offset: hi }, x, a),
      single("ReLU", {}, a, b),
      single("Rescaling", { scale: -1, offset: hi }, b, y),
    ];
  }
  return [
    single("Rescaling", { scale: 1, offset: -lo }, x, a),
    single("ReLU", { max_value: hi === Infinity ? null : hi - lo }, a, b),
    single("Rescaling", { scale: 1, offset: lo }, b, y),
  ];
}

/** `PRelu(x, slope)`: Keras PReLU with alpha of shape input_shape[1:], shared over broadcast axes. */
const prelu: Mapper = (ctx) => {
  const shape = ctx.shape(0);
  const slope = ctx.weight(1, "slope");
  const full = [...new Array<number>(shape.length - slope.dims.length).fill(1), ...slope.dims];
  if (full[0] !== 1) ctx.unsupported("has a slope that varies over the batch axis");
  const shared = full.map((d, i) => (i > 0 && d === 1 && shape[i] !== 1 ? i : -1)).filter((i) => i > 0);
  const alphaShape = shape.slice(1).map((d, i) => (shared.includes(i + 1) ? 1 : (d as number)));
  const src = Array.from(slope.data as ArrayLike<number>, Number);
  return [
    single("PReLU", { shared_axes: shared.length ? shared : null }, ctx.input(0), ctx.node.outputs[0]!, {
      alpha: { shape: alphaShape, data: Float32Array.from(src) },
    }),
  ];
};

export const activationMappers: Record<string, Mapper> = {
  PRelu: prelu,
  "kg.Swish": activationLayer,
  "kg.Gelu": activationLayer,
};
for (const op of [
  "Relu",
  "Sigmoid",
  "Tanh",
  "Softplus",
  "Softsign",
  "Exp",
  "HardSwish",
  "Mish",
  "Softmax",
  "LogSoftmax",
  "Elu",
  "Celu",
  "Selu",
  "HardSigmoid",
  "Gelu",
  "Clip",
  "LeakyRelu",
  "ThresholdedRelu",
  "Neg",
]) {
  activationMappers[op] = activationLayer;
}
