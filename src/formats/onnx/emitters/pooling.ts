import { attr } from "../builder.js";
import type { EmitContext, Emitter } from "../emitter.js";
import { convConfig, padAttributes, tupleOf } from "./conv.js";
import { channelsFirstRegion, isChannelsFirst, spatialAxes } from "./layout.js";

/**
 * `MaxPooling` / `AveragePooling` 1D–3D (BasePooling): ONNX MaxPool / AveragePool in a channels-first
 * region. "same" pads as TF and the torch backend do; an average ignores the padding (count_include_pad=0).
 */
const pool =
  (opType: "MaxPool" | "AveragePool", r: number): Emitter =>
  (ctx) => {
    const c = convConfig(ctx);
    const cf = isChannelsFirst(c);
    const size = c.tuple("pool_size", r);
    const strides = c.get("strides") === null || c.get("strides") === undefined ? size : tupleOf(c, "strides", r, 1);
    const padding = String(c.get("padding") ?? "valid").toLowerCase();
    const x = ctx.inputs[0]!;
    const sizes = spatialAxes(r + 2, cf).map((a) => x.shape[a] ?? null);
    const ones = Array<number>(r).fill(1);
    return [
      channelsFirstRegion(ctx.g, x.name, r + 2, cf, (v) =>
        ctx.g.op(opType, [v], {
          kernel_shape: attr.ints(size),
          strides: attr.ints(strides),
          ...padAttributes(padding, sizes, size, strides, ones),
        }),
      ),
    ];
  };

/** `GlobalMax/AveragePooling1D–3D(data_format, keepdims=False)`: a reduction over the spatial axes. */
const globalPool =
  (opType: "ReduceMax" | "ReduceMean", r: number): Emitter =>
  (ctx) => {
    const c = convConfig(ctx);
    const cf = isChannelsFirst(c);
    const axes = spatialAxes(r + 2, cf);
    const x = ctx.inputs[0]!;
    const keep = c.get("keepdims") === true;
    if (opType === "ReduceMean" && r === 1 && x.mask) {
      // Keras averages over the unmasked steps only: sum(x * mask) / sum(mask).
      const { g } = ctx;
      const m = g.op("Cast", [g.unsqueeze(x.mask, [cf ? 1 : 2])], { to: attr.i(1) });
      const sum = g.reduce("ReduceSum", g.op("Mul", [x.name, m]), axes, keep);
      return [g.op("Div", [sum, g.reduce("ReduceSum", m, axes, keep)])];
    }
    return [ctx.g.reduce(opType, x.name, axes, keep)];
  };

/**
 * `AdaptiveMax/AveragePooling1D–3D(output_size)`: torch's bins (start = floor(i·n/out), end =
 * ceil((i+1)·n/out)) along each spatial axis in turn — max and mean pool separably over a product of bins.
 */
const adaptivePool =
  (opType: "ReduceMax" | "ReduceMean", r: number): Emitter =>
  (ctx) => {
    const c = ctx.config;
    const cf = isChannelsFirst(c);
    const out = c.tuple("output_size", r);
    const x = ctx.inputs[0]!;
    let y = x.name;
    const shape = [...x.shape];
    spatialAxes(r + 2, cf).forEach((axis, i) => {
      const size = x.shape[axis];
      if (size === null || size === undefined)
        return ctx.unsupported(
          `adaptive pooling needs a known size on axis ${axis}; the input has shape ${JSON.stringify(x.shape)}`,
        );
      const n = size;
      const m = out[i]!;
      if (n === m) return;
      shape[axis] = m;
      if (n % m === 0 && shape.slice(axis + 1).every((d) => d !== null)) {
        y = binnedPool(ctx, y, opType, axis, n / m, shape as number[]);
        return;
      }
      const parts: string[] = [];
      for (let b = 0; b < m; b++) {
        const start = Math.floor((b * n) / m);
        const end = Math.ceil(((b + 1) * n) / m);
        parts.push(ctx.g.reduce(opType, ctx.g.slice(y, [start], [end], [axis]), [axis], true));
      }
      y = ctx.g.op("Concat", parts, { axis: attr.i(axis) });
    });
    return [y];
  };

/** Equal bins of `k` along one axis: a Reshape that splits the axis (`out` is the pooled shape), then one reduction. */
function binnedPool(ctx: EmitContext, x: string, opType: string, axis: number, k: number, out: number[]): string {
  const split = out.map((d, i) => (i < axis ? 0 : d));
  split.splice(axis + 1, 0, k);
  const reshaped = ctx.g.reshape(x, split);
  return ctx.g.reduce(opType, reshaped, [axis + 1], false);
}

export const poolingEmitters: Record<string, Emitter> = {
  MaxPooling1D: pool("MaxPool", 1),
  MaxPooling2D: pool("MaxPool", 2),
  MaxPooling3D: pool("MaxPool", 3),
  AveragePooling1D: pool("AveragePool", 1),
  AveragePooling2D: pool("AveragePool", 2),
  AveragePooling3D: pool("AveragePool", 3),
  GlobalMaxPooling1D: globalPool("ReduceMax", 1),
  GlobalMaxPooling2D: globalPool("ReduceMax", 2),
  GlobalMaxPooling3D: globalPool("ReduceMax", 3),
  GlobalAveragePooling1D: globalPool("ReduceMean", 1),
  GlobalAveragePooling2D: globalPool("ReduceMean", 2),
  GlobalAveragePooling3D: globalPool("ReduceMean", 3),
  AdaptiveMaxPooling1D: adaptivePool("ReduceMax", 1),
  AdaptiveMaxPooling2D: adaptivePool("ReduceMax", 2),
  AdaptiveMaxPooling3D: adaptivePool("ReduceMax", 3),
  AdaptiveAveragePooling1D: adaptivePool("ReduceMean", 1),
  AdaptiveAveragePooling2D: adaptivePool("ReduceMean", 2),
  AdaptiveAveragePooling3D: adaptivePool("ReduceMean", 3),
};
