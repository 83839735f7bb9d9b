import { callLayer } from "../../ir/build.js";
import { FormatError, GraphError } from "../../ir/errors.js";
import { Graph, Layer, type Tensor } from "../../ir/graph.js";
import { isObject, type Json } from "./parse.js";
import { layerFromEntry, type ReadContext } from "./read.js";

/** Config keys by which a Sequential's first layer declares the model's input (Keras 1, 2 and 3). */
function declaredInput(first: Json): { shape: (number | null)[]; dtype?: string } | null {
  const c = isObject(first.config) ? first.config : {};
  const dtype = typeof c.dtype === "string" ? c.dtype : undefined;
  const isShape = (v: unknown): v is (number | null)[] =>
    Array.isArray(v) && v.every((d) => d === null || Number.isInteger(d));
  if (isShape(c.batch_input_shape)) return { shape: c.batch_input_shape, dtype };
  if (isShape(c.batch_shape)) return { shape: c.batch_shape, dtype };
  if (isShape(c.input_shape)) {
    const batch = Number.isInteger(c.batch_size) ? (c.batch_size as number) : null;
    return { shape: [batch, ...c.input_shape], dtype };
  }
  if (Number.isInteger(c.input_dim)) {
    // Keras 1: Dense(input_dim=n), Embedding(input_length=...) declared their input this way.
    if (first.class_name === "Embedding") {
      return { shape: [null, Number.isInteger(c.input_length) ? (c.input_length as number) : null], dtype };
    }
    return { shape: [null, c.input_dim as number], dtype };
  }
  return null;
}

/**
 * Reads a Sequential config (`{"name", "layers": [...]}`, or Keras 1's bare list) as the equivalent
 * functional graph: an InputLayer (the one listed, or one made from the first layer's declared input
 * shape, as Keras's `Sequential.add` does) and each layer called on the previous output. A Sequential
 * with no declared input stays unbuilt: its layers have no calls and no weights.
 */
export function readSequential(className: string, config: unknown, ctx: ReadContext, depth: number): Graph {
  const cfg: Json = Array.isArray(config) ? { layers: config } : isObject(config) ? config : {};
  const entries = cfg.layers;
  const name = typeof cfg.name === "string" ? cfg.name : "sequential";
  if (!Array.isArray(entries)) {
    throw new FormatError(
      `Sequential model '${name}': "layers" must be a list. Received: ${JSON.stringify(entries)?.slice(0, 80)}`,
    );
  }
  const graph = new Graph(name, "Sequential");
  const { layers: _l, name: _n, ...rest } = cfg;
  void _l;
  void _n;
  graph.config = Array.isArray(config) ? {} : rest;
  void className;
  const layers = entries.map((e, i) => layerFromEntry(e, i, ctx, depth, name));

  let x: Tensor | undefined;
  let body = layers;
  if (layers[0]?.className === "InputLayer") {
    const input = layers[0];
    graph.addLayer(input);
    x = callLayer(input, [], {}, ctx.resolve).outputs[0];
    body = layers.slice(1);
  } else if (entries.length) {
    const declared = declaredInput(entries[0] as Json);
    const build = cfg.build_input_shape;
    const shape = declared?.shape ?? (Array.isArray(build) ? (build as (number | null)[]) : null);
    if (shape) {
      const inputName = graph.names.unique("input_layer");
      const input = new Layer("InputLayer", inputName, {
        batch_shape: shape,
        dtype: declared?.dtype ?? "float32",
        name: inputName,
      });
      graph.addLayer(input);
      x = callLayer(input, [], {}, ctx.resolve).outputs[0];
    }
  }
  for (const layer of body) {
    if (graph.getLayer(layer.name)) {
      throw new GraphError(
        `Sequential model '${name}': two layers are named '${layer.name}'; layer names must be unique.`,
      );
    }
    graph.addLayer(layer);
    if (!x) continue;
    const call = callLayer(layer, [x], {}, ctx.resolve);
    if (call.outputs.length !== 1) {
      throw new GraphError(
        `Sequential model '${name}': layer '${layer.name}' returns ${call.outputs.length} tensors; every layer in a Sequential model must return one.`,
      );
    }
    x = call.outputs[0];
  }
  const input = graph.layers[0]?.className === "InputLayer" ? graph.layers[0].calls[0]?.outputs[0] : undefined;
  if (input && x) {
    graph.inputs = [input];
    graph.outputs = [x];
  }
  graph.inputStructure = { kind: "single" };
  graph.outputStructure = { kind: "single" };
  return graph;
}
