import * as tf from "@tensorflow/tfjs-core";
import { FormatError } from "../../ir/errors.js";
import type { TensorSpec } from "../../ir/graph.js";
import type { CallContext, LayerKind } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { firstArgTensors } from "../../layers/input-spec.js";
import { type Layer, boundLayer } from "../layer.js";

/** A custom layer class as the registry keeps it. */
export type LayerClass = (abstract new (...args: never[]) => Layer) & {
  fromConfig(config: Record<string, unknown>): Layer;
  className?: string;
};

/** The API layer of a call's IR layer; a layer read from a file is made with the class's `fromConfig`. */
export function instanceFor(ctx: CallContext, cls: LayerClass): Layer {
  const bound = boundLayer(ctx.layer);
  if (bound) return bound;
  const made = cls.fromConfig({ ...ctx.layer.config });
  made.bind(ctx.layer);
  return made;
}

/** The shape `build` and `computeOutputShape` receive: one shape, or a list for a list of tensors. */
function inputShapes(ctx: CallContext): Shape | Shape[] {
  const first = ctx.args[0];
  const tensors = firstArgTensors(ctx);
  return Array.isArray(first) ? tensors.map((t) => [...t.shape]) : [...(tensors[0]?.shape ?? [])];
}

function asShapeList(out: Shape | Shape[]): Shape[] {
  return out.length > 0 && out.every((d) => Array.isArray(d)) ? (out as Shape[]) : [out as Shape];
}

/**
 * A custom layer's output shapes for input specs (the first positional argument's tensors; a list
 * when `listInput`): its `computeOutputShape`, or `call` traced on zeros.
 */
export function customOutputShapes(layer: Layer, inputs: TensorSpec[], listInput: boolean): Shape[] {
  if (layer.hasOutputShapeRule()) {
    const shapes = inputs.map((t) => [...t.shape]);
    return asShapeList(layer.computeOutputShape(listInput ? shapes : shapes[0]!));
  }
  return tracedShapes(layer, inputs, listInput);
}

/** Output shapes found by running `call` on zeros, with the layer's weights bound to zeros. */
function tracedShapes(layer: Layer, inputs: TensorSpec[], listInput: boolean): Shape[] {
  const batchUnknown = inputs[0]?.shape[0] === null;
  const weights = layer.customWeights;
  let shapes: Shape[] = [];
  tf.tidy(() => {
    for (const w of weights) w.bind(tf.zeros(w.shape, w.dtype === "int32" ? "int32" : "float32"));
    try {
      const xs = inputs.map((s) =>
        tf.zeros(
          s.shape.map((d) => d ?? 1),
          s.dtype.startsWith("int") ? "int32" : "float32",
        ),
      );
      const out = layer.call(listInput ? xs : xs[0]!);
      shapes = (Array.isArray(out) ? out : [out]).map((t) =>
        t.shape.map((d, i) => (i === 0 && batchUnknown ? null : d)),
      );
    } finally {
      for (const w of weights) w.bind(null);
    }
  });
  return shapes;
}

/**
 * A LayerKind for a custom layer class, so the IR can call it like any catalog layer: `build` runs on
 * the first call and its `addWeight`s become the layer's weights; the output shapes come from
 * `computeOutputShape` (or a traced `call`).
 */
export function customKind(cls: LayerClass, className: string): LayerKind {
  const built = (ctx: CallContext) => {
    const layer = instanceFor(ctx, cls);
    layer.ensureBuilt(inputShapes(ctx));
    return layer;
  };
  return {
    className,
    defaults: {},
    outputs(ctx) {
      const layer = built(ctx);
      if (layer.hasOutputShapeRule()) return asShapeList(layer.computeOutputShape(inputShapes(ctx)));
      try {
        return tracedShapes(layer, firstArgTensors(ctx), Array.isArray(ctx.args[0]));
      } catch (e) {
        throw new FormatError(
          `${ctx.where}: could not find its output shape by running call() on zeros (${(e as Error).message}). ` +
            `Implement computeOutputShape(inputShape).`,
          { cause: e },
        );
      }
    },
    weights(ctx) {
      return built(ctx).customWeights.map((w) => ({
        name: w.name,
        shape: w.shape,
        dtype: w.dtype,
        trainable: w.trainable,
      }));
    },
  };
}
