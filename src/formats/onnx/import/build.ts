import { callLayer } from "../../../ir/build.js";
import { GraphError } from "../../../ir/errors.js";
import { Graph, Layer, type Tensor, type WeightSpec } from "../../../ir/graph.js";
import type { KindResolver } from "../../../ir/kind.js";
import { snakeCase } from "../../../ir/names.js";
import { kerasLayerOrder } from "../../../ir/order.js";
import { validateGraph } from "../../../ir/validate.js";
import { WeightData } from "../../../ir/weights.js";
import { isFloatDtype } from "./const.js";
import { BATCH, type Dim, type ImportGraph } from "./graph.js";
import { type LayerSpec, MapContext, type Mapper, type WeightValues } from "./mappers/context.js";

/** Keras layer names cannot hold "/" (Keras 3 refuses them); other odd characters are replaced too. */
export function kerasName(onnxName: string, fallback: string): string {
  const clean = onnxName.replace(/[^A-Za-z0-9_.-]+/g, "_").replace(/^_+|_+$/g, "");
  if (!clean) return fallback;
  return /^[0-9]/.test(clean) ? `${fallback}_${clean}` : clean;
}

/**
 * A graph input's Keras dtype: floats compute as float32; int64 (ONNX's index type) becomes int32,
 * which Keras's Embedding takes and TF.js can hold (it has no int64).
 */
function kerasDtype(dtype: string): string {
  if (isFloatDtype(dtype)) return "float32";
  return dtype === "int64" || dtype === "uint64" || dtype === "uint32" ? "int32" : dtype;
}

const kerasDim = (d: Dim): number | null => (typeof d === "number" ? d : null);

/**
 * Builds the Keras graph: one InputLayer per graph input, then each node's layers through its mapper
 * (every Keras shape computed by the layer kinds and checked against the ONNX shapes), weights attached,
 * the ONNX outputs as the model's outputs, layers in Keras's `model.layers` order.
 */
export function buildKerasGraph(g: ImportGraph, mappers: Record<string, Mapper>, resolve: KindResolver): Graph {
  const graph = new Graph(kerasName(g.name, "model"));
  const tensors = new Map<string, Tensor>();
  for (const name of g.inputs) {
    const v = g.value(name);
    const layerName = graph.names.unique(kerasName(name, "input"));
    const layer = graph.addLayer(
      new Layer("InputLayer", layerName, {
        batch_shape: v.shape!.map((d, i) => (i === 0 ? null : kerasDim(d))),
        dtype: kerasDtype(v.dtype),
        sparse: false,
        ragged: false,
        name: layerName,
      }),
    );
    const call = callLayer(layer, [], {}, resolve);
    tensors.set(name, call.outputs[0]!);
  }
  const lookup = (name: string, who: string): Tensor => {
    const t = tensors.get(name);
    if (!t) throw new GraphError(`${who} reads '${name}', which no Keras layer computes.`);
    return t;
  };
  for (const node of g.nodes) {
    const key = node.domain ? `${node.domain}.${node.op}` : node.op;
    const mapper = Object.hasOwn(mappers, key) ? mappers[key] : undefined; // an op named "toString" is no mapper
    if (!mapper) throw MapContext.unsupportedOp(g, node);
    const ctx = new MapContext(g, node);
    for (const spec of mapper(ctx)) addLayerCall(graph, spec, ctx, tensors, lookup, resolve);
  }
  graph.inputs = g.inputs.map((i) => tensors.get(i)!);
  const outputs = g.outputs.map((o) => lookup(o, `graph output '${o}'`));
  // An output that is an input (or repeats an output) passes through an Identity layer: Keras needs one.
  graph.outputs = outputs.map((t, i) => {
    if (!graph.inputs.includes(t) && !outputs.slice(0, i).includes(t) && t.producer.inputs.length > 0) return t;
    const layer = graph.addLayer(new Layer("Identity", graph.names.unique("identity"), { name: "" }));
    layer.config.name = layer.name;
    return callLayer(layer, [t], {}, resolve).outputs[0]!;
  });
  graph.inputStructure = { kind: graph.inputs.length === 1 ? "single" : "list" };
  graph.outputStructure = { kind: graph.outputs.length === 1 ? "single" : "list" };
  graph.layers = kerasLayerOrder(graph.inputs, graph.outputs);
  validateGraph(graph);
  return graph;
}

function addLayerCall(
  graph: Graph,
  spec: LayerSpec,
  ctx: MapContext,
  tensors: Map<string, Tensor>,
  lookup: (name: string, who: string) => Tensor,
  resolve: KindResolver,
): void {
  const who = `${spec.className} for ${ctx.where}`;
  const name = graph.names.unique(snakeCase(spec.className));
  const meta = spec.module ? { module: spec.module, registeredName: spec.className } : {};
  const layer = graph.addLayer(new Layer(spec.className, name, { name, ...spec.config }, meta));
  const ins = spec.inputs.map((i) => lookup(i, who));
  const args =
    spec.args === "list"
      ? [ins]
      : spec.args === "positional"
        ? (spec.operands ?? spec.inputs).map((o) => (typeof o === "number" ? o : lookup(o, who)))
        : [ins[0]!];
  const kwargs: Record<string, Tensor[]> = {};
  for (const [k, names] of Object.entries(spec.kwargs ?? {})) kwargs[k] = names.map((n) => lookup(n, who));
  const call = callLayer(layer, args, kwargs, resolve);
  spec.outputs.forEach((o, i) => {
    if (!o) return;
    const t = call.outputs[i];
    if (!t)
      throw new GraphError(`${who}: layer '${name}' has ${call.outputs.length} outputs; the mapping needs ${i + 1}.`);
    const want = ctx.graph.values.get(o)?.shape;
    if (want) checkShape(t, want, `${who} (layer '${name}', output ${i})`);
    tensors.set(o, t);
  });
  if (spec.weights) setWeights(layer, spec.weights, who);
}

/** Keras's shape must be the ONNX value's where both are known: a mapping that disagrees is a bug. */
function checkShape(t: Tensor, want: Dim[], who: string): void {
  const ok =
    t.shape.length === want.length &&
    t.shape.every((d, i) => i === 0 || d === null || typeof want[i] !== "number" || d === want[i]) &&
    (want[0] === BATCH || typeof want[0] !== "string");
  if (!ok) {
    throw new GraphError(
      `${who}: Keras computes shape (${t.shape.map((d) => d ?? "None").join(", ")}) where the ONNX graph has ` +
        `[${want.join(", ")}]. Received: a mapping whose shapes disagree; please report this model.`,
    );
  }
}

function matches(spec: WeightSpec, key: string): boolean {
  const parts = key.split("/");
  const path = spec.name.split("/");
  if (path.at(-1) !== parts.at(-1)) return false;
  return parts.length === 1 || path[0]!.startsWith(parts[0]!);
}

function setWeights(layer: Layer, weights: Record<string, WeightValues>, who: string): void {
  for (const spec of layer.weights ?? []) {
    const key = Object.keys(weights).find((k) => matches(spec, k));
    if (!key) throw new GraphError(`${who}: no value for weight '${spec.name}' of layer '${layer.name}'.`);
    const w = weights[key]!;
    if (w.shape.join(",") !== spec.shape.join(",")) {
      throw new GraphError(
        `${who}: weight '${spec.name}' of layer '${layer.name}' has shape (${spec.shape.join(", ")}) in Keras; the mapping made (${w.shape.join(", ")}).`,
      );
    }
    layer.values.set(spec.name, new WeightData(spec.dtype, [...spec.shape], w.data));
  }
}
