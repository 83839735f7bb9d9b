import type { Call, Graph, Layer } from "../../ir/graph.js";
import { kerasGraphMap } from "../../ir/order.js";

/**
 * A model as Keras's `print_summary` sees it: the layers it lists, in Keras's order, the calls
 * (Keras's nodes) that belong to the model, and whether it draws the model as a sequence.
 */
export interface ModelView {
  /** `Sequential.layers` (without its InputLayer) or `Functional._operations`. */
  layers: Layer[];
  /** The calls of this model (`_nodes_by_depth`); null for a Sequential, whose table has no "Connected to". */
  calls: Set<Call> | null;
  /** `sequential_like`: one call per depth, each with one input, no shared layer. */
  sequentialLike: boolean;
}

export function isSequential(graph: Graph): boolean {
  return graph.className === "Sequential";
}

export function modelView(graph: Graph): ModelView {
  if (isSequential(graph)) {
    // Keras 3's `Sequential.layers` leaves out the InputLayer at the bottom of the stack.
    const layers = graph.layers[0]?.className === "InputLayer" ? graph.layers.slice(1) : [...graph.layers];
    return { layers, calls: null, sequentialLike: true };
  }
  const { layers, callsByDepth } = kerasGraphMap(graph.inputs, graph.outputs, {
    inputs: graph.inputStructure,
    outputs: graph.outputStructure,
  });
  const calls = new Set<Call>([...callsByDepth.values()].flat());
  return { layers, calls, sequentialLike: looksSequential(layers, callsByDepth) };
}

/** The layers a nested model lists when `expand_nested` opens it. */
export function nestedLayers(layer: Layer): Layer[] {
  return layer.subgraph ? modelView(layer.subgraph).layers : [];
}

/** `print_summary`'s test: a Functional is drawn like a Sequential when it is a plain chain. */
function looksSequential(layers: Layer[], nodesByDepth: Map<number, Call[]>): boolean {
  const nodes = new Set<Call>();
  for (const calls of nodesByDepth.values()) {
    if (calls.length > 1 || (calls.length === 1 && calls[0]!.inputs.length > 1)) return false;
    for (const c of calls) nodes.add(c);
  }
  return layers.every((l) => l.calls.filter((c) => nodes.has(c)).length <= 1);
}
