import { emitRelu } from "../activation.js";
import { attr } from "../builder.js";
import type { Emitter } from "../emitter.js";

const x0 = (ctx: Parameters<Emitter>[0]) => ctx.inputs[0]!.name;

/** `ReLU(max_value=None, negative_slope=0.0, threshold=0.0)`. */
const relu: Emitter = (ctx) => {
  const c = ctx.config;
  const max = c.get("max_value");
  return [
    emitRelu(
      ctx.g,
      x0(ctx),
      Number(c.get("negative_slope") ?? 0),
      max === null || max === undefined ? null : Number(max),
      Number(c.get("threshold") ?? 0),
    ),
  ];
};

/** `LeakyReLU(negative_slope=0.3)`; Keras 2 wrote `alpha`. */
const leakyRelu: Emitter = (ctx) => {
  const slope = ctx.config.raw.negative_slope ?? ctx.config.raw.alpha ?? ctx.config.get("negative_slope") ?? 0.3;
  return [ctx.g.op("LeakyRelu", [x0(ctx)], { alpha: attr.f(Number(slope)) })];
};

/** `ELU(alpha=1.0)`. */
const elu: Emitter = (ctx) => [ctx.g.op("Elu", [x0(ctx)], { alpha: attr.f(Number(ctx.config.get("alpha") ?? 1)) })];

/** `ThresholdedReLU(theta=1.0)`. */
const thresholdedRelu: Emitter = (ctx) => [
  ctx.g.op("ThresholdedRelu", [x0(ctx)], { alpha: attr.f(Number(ctx.config.get("theta") ?? 1)) }),
];

/** `PReLU`: ONNX PRelu broadcasts the slope (shape input_shape[1:], 1 on shared axes) over the batch. */
const prelu: Emitter = (ctx) => {
  const alpha = ctx.weightParam("alpha", "alpha");
  return [ctx.g.op("PRelu", [x0(ctx), alpha])];
};

/** `Softmax(axis=-1)`: over one axis natively; over several as exp(x - max) / sum. */
const softmax: Emitter = (ctx) => {
  const { g } = ctx;
  const axis = ctx.config.get("axis") ?? -1;
  const axes = Array.isArray(axis) ? (axis as number[]) : [Number(axis)];
  if (axes.length === 1) return [g.op("Softmax", [x0(ctx)], { axis: attr.i(axes[0]!) })];
  const shifted = g.op("Sub", [x0(ctx), g.reduce("ReduceMax", x0(ctx), axes, true)]);
  const e = g.op("Exp", [shifted]);
  return [g.op("Div", [e, g.reduce("ReduceSum", e, axes, true)])];
};

export const activationsEmitters: Record<string, Emitter> = {
  ReLU: relu,
  LeakyReLU: leakyRelu,
  ELU: elu,
  ThresholdedReLU: thresholdedRelu,
  PReLU: prelu,
  Softmax: softmax,
};
