import { GraphError } from "../ir/errors.js";
import { Graph, type IOStructure, type Tensor } from "../ir/graph.js";
import { kerasGraphMap } from "../ir/order.js";
import { validateGraph } from "../ir/validate.js";
import { KerasTensor, type SymbolicInput } from "./keras-tensor.js";

/** A model's inputs or outputs as given: one tensor, a list, or a record by name. */
export interface FlatIO {
  tensors: Tensor[];
  structure: IOStructure;
}

/** Flattens `inputs`/`outputs` of `Model(...)`, refusing anything but KerasTensors. */
export function flattenIO(value: SymbolicInput, what: string, model: string): FlatIO {
  const check = (v: unknown, path: string): Tensor => {
    if (v instanceof KerasTensor) return v.tensor;
    const got = v === null || v === undefined ? String(v) : ((v as object).constructor?.name ?? typeof v);
    throw new GraphError(
      `model '${model}': all ${what} must be KerasTensors (from Input() or a layer call). Received: ${got} at ${path}`,
    );
  };
  if (value instanceof KerasTensor) return { tensors: [value.tensor], structure: { kind: "single" } };
  if (Array.isArray(value)) {
    if (value.length === 0) throw new GraphError(`model '${model}': ${what} must not be empty.`);
    return { tensors: value.map((v, i) => check(v, `${what}[${i}]`)), structure: { kind: "list" } };
  }
  if (value && typeof value === "object") {
    const keys = Object.keys(value);
    const tensors = keys.map((k) => check((value as Record<string, unknown>)[k], `${what}["${k}"]`));
    return { tensors, structure: { kind: "dict", keys } };
  }
  return { tensors: [check(value, what)], structure: { kind: "single" } };
}

/**
 * Keras's Functional constructor: the IR graph from `inputs` to `outputs`, its layers in Keras's
 * `map_graph` order, checked for disconnected outputs, cycles and duplicate names (GraphError naming
 * the layers).
 */
export function functionalGraph(name: string, inputs: FlatIO, outputs: FlatIO, trainable: boolean): Graph {
  const graph = new Graph(name, "Functional");
  graph.inputs = inputs.tensors;
  graph.outputs = outputs.tensors;
  graph.inputStructure = inputs.structure;
  graph.outputStructure = outputs.structure;
  graph.config = trainable ? {} : { trainable: false };
  const seen = new Set<Tensor>();
  for (const t of inputs.tensors) {
    if (seen.has(t)) throw new GraphError(`model '${name}': the same input tensor ${t.label} is given twice.`);
    seen.add(t);
  }
  graph.layers = kerasGraphMap(graph.inputs, graph.outputs, {
    inputs: graph.inputStructure,
    outputs: graph.outputStructure,
  }).layers;
  validateGraph(graph);
  for (const l of graph.layers) graph.names.claim(l.name);
  return graph;
}

/** Tensors in a model's structure: the one tensor, the list, or the record. */
export function structured<T>(items: T[], structure: IOStructure): T | T[] | Record<string, T> {
  if (structure.kind === "single" && items.length === 1) return items[0]!;
  if (structure.kind === "dict" && structure.keys.length === items.length) {
    return Object.fromEntries(structure.keys.map((k, i) => [k, items[i]!]));
  }
  return items;
}
