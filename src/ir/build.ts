import { LayerConfig } from "./config.js";
import { dtypePolicy } from "./dtype.js";
import { FormatError, ShapeError } from "./errors.js";
import type { ArgTree, DType, Graph, TensorSpec, WeightSpec } from "./graph.js";
import { Call, Layer, Tensor, flattenLeaves, mapArgTree } from "./graph.js";
import type { CallContext, InnerResult, KindResolver, LayerKind } from "./kind.js";
import { topologicalCalls } from "./topo.js";

const isSpec = (v: unknown): v is TensorSpec =>
  v !== null && typeof v === "object" && !Array.isArray(v) && Array.isArray((v as TensorSpec).shape) && "dtype" in v;

/** Positional tensors, then keyword tensors by sorted name: Keras's `tree.flatten((args, kwargs))`. */
function flattenSpecs(args: unknown, kwargs: unknown): TensorSpec[] {
  return flattenLeaves(kwargs, isSpec, flattenLeaves(args, isSpec));
}

function describe(className: string, name: string): string {
  return `${className} '${name}'`;
}

function makeContext(
  layer: Layer,
  kind: LayerKind,
  args: ArgTree<TensorSpec>[],
  kwargs: Record<string, ArgTree<TensorSpec>>,
  resolve: KindResolver,
): CallContext {
  const where = describe(layer.className, layer.name);
  const policy = dtypePolicy(layer.config.dtype);
  return {
    layer,
    config: new LayerConfig(layer.config, kind.defaults, where),
    inputs: flattenSpecs(args, kwargs),
    args,
    kwargs,
    computeDtype: policy.compute,
    variableDtype: policy.variable,
    where,
    fail(message: string): never {
      throw new ShapeError(`${where}: ${message}`);
    },
    inner(serialized, inputs, innerKwargs = {}) {
      return evaluateInner(serialized, inputs, innerKwargs, resolve, where);
    },
  };
}

/** A layer's output specs and build-time weights for one call, without changing the graph. */
export function evaluateLayer(
  layer: Layer,
  args: ArgTree<TensorSpec>[],
  kwargs: Record<string, ArgTree<TensorSpec>>,
  resolve: KindResolver,
): { outputs: TensorSpec[]; weights: WeightSpec[] } {
  if (layer.subgraph) {
    return { outputs: evaluateGraph(layer.subgraph, flattenSpecs(args, kwargs), resolve, layer), weights: [] };
  }
  const kind = resolve(layer.className, {
    layer: layer.name,
    registeredName: layer.meta.registeredName,
    module: layer.meta.module,
  });
  const ctx = makeContext(layer, kind, args, kwargs, resolve);
  const outputs = kind
    .outputs(ctx)
    .map((o): TensorSpec => (Array.isArray(o) ? { shape: o, dtype: ctx.computeDtype } : o));
  for (const o of outputs) {
    for (const d of o.shape) {
      if (d !== null && (!Number.isInteger(d) || d < 0)) {
        ctx.fail(
          `computed an invalid output shape (${o.shape.join(", ")}) from input shapes ${inputShapesText(ctx.inputs)}`,
        );
      }
    }
  }
  const weights: WeightSpec[] = [];
  for (const w of kind.weights?.(ctx) ?? []) {
    if (!w) continue;
    if (w.shape.some((d) => typeof d !== "number" || !Number.isInteger(d) || d < 0)) {
      ctx.fail(
        `cannot create weight '${w.name}' of shape (${w.shape.join(", ")}) from input shapes ${inputShapesText(ctx.inputs)}: ` +
          `a dimension it needs is unknown or negative`,
      );
    }
    weights.push({
      name: w.name,
      shape: w.shape as number[],
      dtype: w.dtype ?? ctx.variableDtype,
      trainable: w.trainable ?? true,
    });
  }
  return { outputs, weights };
}

function inputShapesText(inputs: TensorSpec[]): string {
  return inputs.map((s) => `(${s.shape.map((d) => (d === null ? "None" : d)).join(", ")})`).join(", ") || "(none)";
}

function evaluateInner(
  serialized: unknown,
  inputs: TensorSpec[],
  kwargs: Record<string, ArgTree<TensorSpec>>,
  resolve: KindResolver,
  outer: string,
): InnerResult {
  if (!serialized || typeof serialized !== "object" || Array.isArray(serialized)) {
    throw new FormatError(
      `${outer}: expected a serialized layer ({"class_name", "config"}). Received: ${JSON.stringify(serialized)}`,
    );
  }
  const s = serialized as Record<string, unknown>;
  const className = s.class_name;
  const config = s.config;
  if (typeof className !== "string" || !config || typeof config !== "object" || Array.isArray(config)) {
    throw new FormatError(
      `${outer}: the wrapped layer needs a class_name and a config object. Received: ${JSON.stringify(serialized).slice(0, 200)}`,
    );
  }
  const cfg = config as Record<string, unknown>;
  const name = typeof cfg.name === "string" ? cfg.name : className;
  const layer = new Layer(className, name, cfg, { registeredName: (s.registered_name as string | null) ?? null });
  const args: ArgTree<TensorSpec>[] = [inputs.length === 1 ? inputs[0]! : inputs];
  const { outputs, weights } = evaluateLayer(layer, args, kwargs, resolve);
  const kind = resolve(className, { layer: name });
  return { className, name, config: new LayerConfig(cfg, kind.defaults, describe(className, name)), outputs, weights };
}

/**
 * Keras's `layer(*args, **kwargs)` on symbolic tensors: makes a Call, computes its outputs, builds the
 * layer on its first call and records the uses. Throws ShapeError (naming the layer) on bad inputs.
 */
export function callLayer(
  layer: Layer,
  args: ArgTree<Tensor>[],
  kwargs: Record<string, ArgTree<Tensor>>,
  resolve: KindResolver,
): Call {
  const toSpec = (t: Tensor): TensorSpec => ({ shape: t.shape, dtype: t.dtype });
  const specArgs = mapArgTree(args, toSpec) as ArgTree<TensorSpec>[];
  const specKwargs = mapArgTree(kwargs, toSpec) as Record<string, ArgTree<TensorSpec>>;
  const { outputs, weights } = evaluateLayer(layer, specArgs, specKwargs, resolve);
  const call = new Call(layer, args, kwargs);
  if (!layer.subgraph && layer.weights === null) layer.weights = weights;
  layer.calls.push(call);
  call.outputs = outputs.map((o, i) => new Tensor([...o.shape], o.dtype, call, i));
  for (const t of new Set(call.inputs)) t.uses.push(call);
  return call;
}

/**
 * Output specs of a whole graph for new input specs (a nested model called on other tensors), computed
 * layer by layer without touching the graph.
 */
export function evaluateGraph(
  graph: Graph,
  inputs: TensorSpec[],
  resolve: KindResolver,
  asLayer?: Layer,
): TensorSpec[] {
  const where = asLayer ? describe(asLayer.className, asLayer.name) : `model '${graph.name}'`;
  if (inputs.length !== graph.inputs.length) {
    throw new ShapeError(`${where} expects ${graph.inputs.length} input(s) but was called with ${inputs.length}.`);
  }
  const specs = new Map<Tensor, TensorSpec>();
  graph.inputs.forEach((t, i) => {
    const got = inputs[i]!;
    if (got.shape.length !== t.shape.length) {
      throw new ShapeError(
        `${where}: input ${i} expects rank ${t.shape.length}, shape (${t.shape.join(", ")}). Received: shape (${got.shape.join(", ")})`,
      );
    }
    // Known dims of the model's own input win where the caller's are unknown.
    specs.set(t, { shape: got.shape.map((d, j) => d ?? t.shape[j] ?? null), dtype: t.dtype as DType });
  });
  const lookup = (t: Tensor): TensorSpec => {
    const s = specs.get(t);
    if (!s) throw new ShapeError(`${where}: tensor ${t.label} is not computed from the model's inputs.`);
    return s;
  };
  for (const call of topologicalCalls(graph)) {
    if (call.outputs.every((t) => specs.has(t))) continue;
    const args = mapArgTree(call.args, lookup) as ArgTree<TensorSpec>[];
    const kwargs = mapArgTree(call.kwargs, lookup) as Record<string, ArgTree<TensorSpec>>;
    const { outputs } = evaluateLayer(call.layer, args, kwargs, resolve);
    call.outputs.forEach((t, i) => specs.set(t, outputs[i] ?? { shape: t.shape, dtype: t.dtype }));
  }
  return graph.outputs.map(lookup);
}
