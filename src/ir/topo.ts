import { GraphError } from "./errors.js";
import type { Call, Graph, Tensor } from "./graph.js";

/**
 * The calls that compute a graph's outputs from its inputs, each after the calls it depends on
 * (Keras's `_nodes` in execution order). Traversal stops at the graph's inputs, so a graph cut at
 * inner tensors lists only the calls between them. Throws GraphError on a cycle.
 */
export function topologicalCalls(graph: Graph): Call[] {
  const order: Call[] = [];
  const state = new Map<Call, "visiting" | "done">();
  const inputs = new Set<Tensor>(graph.inputs);
  const visit = (call: Call, path: Call[]): void => {
    const s = state.get(call);
    if (s === "done") return;
    if (s === "visiting") {
      const cycle = [...path.slice(path.indexOf(call)), call].map((c) => c.layer.name).join(" -> ");
      throw new GraphError(`model '${graph.name}' has a cycle: ${cycle}`);
    }
    state.set(call, "visiting");
    path.push(call);
    for (const t of call.inputs) if (!inputs.has(t)) visit(t.producer, path);
    path.pop();
    state.set(call, "done");
    order.push(call);
  };
  // An input made by an InputLayer keeps its (argument-less) call; a cut input's producer is outside.
  for (const t of graph.inputs) if (t.producer.inputs.length === 0) visit(t.producer, []);
  for (const t of graph.outputs) if (!inputs.has(t)) visit(t.producer, []);
  return order;
}
