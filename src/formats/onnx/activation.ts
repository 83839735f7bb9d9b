import { serializedName } from "../../ir/config.js";
import { UnsupportedLayerError } from "../../ir/errors.js";
import type { OnnxBuilder } from "./builder.js";
import { attr } from "./builder.js";

/** Keras 3's `relu(x, negative_slope, max_value, threshold)` (keras/src/activations/activations.py). */
export function emitRelu(
  g: OnnxBuilder,
  x: string,
  negativeSlope = 0,
  maxValue: number | null = null,
  threshold = 0,
): string {
  if (negativeSlope === 0 && threshold === 0) {
    if (maxValue === null) return g.op("Relu", [x]);
    return g.op("Clip", [x, g.float32s([0]), g.float32s([maxValue])]);
  }
  if (threshold === 0 && maxValue === null) return g.op("LeakyRelu", [x], { alpha: attr.f(negativeSlope) });
  // General form: x where x > threshold else 0, clipped at max_value, minus slope * relu(threshold - x).
  const t = g.float32s([threshold]);
  let y = g.op("Where", [g.op("Greater", [x, t]), x, g.float32s([0])]);
  if (maxValue !== null) y = g.op("Clip", [y, g.float32s([0]), g.float32s([maxValue])]);
  if (negativeSlope !== 0) {
    const neg = g.op("Relu", [g.op("Sub", [t, x])]);
    y = g.op("Sub", [y, g.op("Mul", [neg, g.float32s([negativeSlope])])]);
  }
  return y;
}

/** `x * sigmoid(x)`. */
function silu(g: OnnxBuilder, x: string): string {
  return g.op("Mul", [x, g.op("Sigmoid", [x])]);
}

/** Keras's exact `gelu` (approximate=False): `0.5 * x * (1 + erf(x / sqrt(2)))`; Gelu is an op from opset 20. */
export function emitGelu(g: OnnxBuilder, x: string, approximate = false): string {
  if (g.opset >= 20) return g.op("Gelu", [x], approximate ? { approximate: attr.s("tanh") } : {});
  if (approximate) {
    // 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))
    const cube = g.op("Mul", [g.op("Mul", [x, x]), x]);
    const inner = g.op("Add", [x, g.op("Mul", [cube, g.float32s([0.044715])])]);
    const t = g.op("Tanh", [g.op("Mul", [inner, g.float32s([Math.sqrt(2 / Math.PI)])])]);
    return g.op("Mul", [g.op("Mul", [x, g.float32s([0.5])]), g.op("Add", [t, g.float32s([1])])]);
  }
  const erf = g.op("Erf", [g.op("Mul", [x, g.float32s([Math.SQRT1_2])])]);
  return g.op("Mul", [g.op("Mul", [x, g.float32s([0.5])]), g.op("Add", [erf, g.float32s([1])])]);
}

type ActivationEmitter = (g: OnnxBuilder, x: string, config: Record<string, unknown>) => string;

/** Keras's activation functions by name (keras.activations.ALL_OBJECTS_DICT, aliases included). */
const ACTIVATIONS: Record<string, ActivationEmitter> = {
  linear: (_g, x) => x,
  relu: (g, x, c) =>
    emitRelu(
      g,
      x,
      Number(c.negative_slope ?? c.alpha ?? 0),
      (c.max_value as number | null | undefined) ?? null,
      Number(c.threshold ?? 0),
    ),
  relu6: (g, x) => emitRelu(g, x, 0, 6),
  leaky_relu: (g, x, c) => g.op("LeakyRelu", [x], { alpha: attr.f(Number(c.negative_slope ?? c.alpha ?? 0.2)) }),
  sigmoid: (g, x) => g.op("Sigmoid", [x]),
  tanh: (g, x) => g.op("Tanh", [x]),
  softmax: (g, x) => g.op("Softmax", [x], { axis: attr.i(-1) }),
  log_softmax: (g, x) => g.op("LogSoftmax", [x], { axis: attr.i(-1) }),
  elu: (g, x, c) => g.op("Elu", [x], { alpha: attr.f(Number(c.alpha ?? 1)) }),
  selu: (g, x) => g.op("Selu", [x], { alpha: attr.f(1.6732632423543772), gamma: attr.f(1.0507009873554805) }),
  softplus: (g, x) => g.op("Softplus", [x]),
  softsign: (g, x) => g.op("Softsign", [x]),
  silu: (g, x) => silu(g, x),
  swish: (g, x) => silu(g, x),
  gelu: (g, x, c) => emitGelu(g, x, c.approximate === true),
  exponential: (g, x) => g.op("Exp", [x]),
  // Keras 3: relu6(x + 3) / 6.
  hard_sigmoid: (g, x) => g.op("HardSigmoid", [x], { alpha: attr.f(1 / 6), beta: attr.f(0.5) }),
  hard_silu: (g, x) => g.op("HardSwish", [x]),
  hard_swish: (g, x) => g.op("HardSwish", [x]),
  mish: (g, x) => (g.opset >= 18 ? g.op("Mish", [x]) : g.op("Mul", [x, g.op("Tanh", [g.op("Softplus", [x])])])),
  log_sigmoid: (g, x) => g.op("Neg", [g.op("Softplus", [g.op("Neg", [x])])]),
  tanh_shrink: (g, x) => g.op("Sub", [x, g.op("Tanh", [x])]),
  hard_tanh: (g, x) => g.op("Clip", [x, g.float32s([-1]), g.float32s([1])]),
  celu: (g, x, c) => g.op("Celu", [x], { alpha: attr.f(Number(c.alpha ?? 1)) }),
  squareplus: (g, x, c) => {
    const b = Number(c.b ?? 4);
    const root = g.op("Sqrt", [g.op("Add", [g.op("Mul", [x, x]), g.float32s([b])])]);
    return g.op("Mul", [g.op("Add", [x, root]), g.float32s([0.5])]);
  },
  soft_shrink: (g, x, c) =>
    g.op("Shrink", [x], { lambd: attr.f(Number(c.threshold ?? 0.5)), bias: attr.f(Number(c.threshold ?? 0.5)) }),
  hard_shrink: (g, x, c) => g.op("Shrink", [x], { lambd: attr.f(Number(c.threshold ?? 0.5)) }),
};

/** Keras 2 activation objects (`{"class_name": "ReLU", "config": {...}}`) by class name. */
const ACTIVATION_LAYERS: Record<string, string> = {
  ReLU: "relu",
  LeakyReLU: "leaky_relu",
  ELU: "elu",
  Softmax: "softmax",
};

/**
 * Applies a Keras activation as a layer config gives it: a name (`"relu"`), a Keras 3 function object
 * or a Keras 2 activation-layer object. Raises UnsupportedLayerError for one kerasgraph cannot express.
 */
export function emitActivation(g: OnnxBuilder, spec: unknown, x: string, where: string): string {
  const name = spec === null || spec === undefined ? "linear" : serializedName(spec);
  const config =
    spec && typeof spec === "object" && typeof (spec as { config?: unknown }).config === "object"
      ? ((spec as { config: Record<string, unknown> }).config ?? {})
      : {};
  const key = name ? (ACTIVATION_LAYERS[name] ?? name.toLowerCase()) : "";
  const fn = ACTIVATIONS[key];
  if (!fn) {
    throw new UnsupportedLayerError(
      String(name),
      `${where}: activation ${JSON.stringify(spec)} has no ONNX translation in kerasgraph. Received: activation=${JSON.stringify(spec)}`,
    );
  }
  return fn(g, x, config);
}

/** Keras activation names the RNN ops take directly (ONNX LSTM/GRU/RNN `activations`). */
export function rnnActivation(spec: unknown): { name: string; alpha?: number; beta?: number } | null {
  const name = spec === null || spec === undefined ? "linear" : serializedName(spec);
  switch (name) {
    case "tanh":
      return { name: "Tanh" };
    case "sigmoid":
      return { name: "Sigmoid" };
    case "relu":
      return { name: "Relu" };
    case "hard_sigmoid":
      return { name: "HardSigmoid", alpha: 1 / 6, beta: 0.5 };
    case "linear":
      return { name: "Affine", alpha: 1, beta: 0 };
    case "softsign":
      return { name: "Softsign" };
    case "softplus":
      return { name: "Softplus" };
    case "elu":
      return { name: "Elu", alpha: 1 };
    default:
      return null;
  }
}
