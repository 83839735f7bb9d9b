import { GraphError } from "./errors.js";
import type { Graph, Tensor } from "./graph.js";
import { topologicalCalls } from "./topo.js";

/**
 * Checks what Keras's Functional constructor checks: no cycles, every output computable from the
 * inputs ("Graph disconnected"), inputs that are not computed by the graph itself, unique layer names.
 * Throws GraphError naming the layers involved.
 */
export function validateGraph(graph: Graph): void {
  const seen = new Map<string, number>();
  for (const l of graph.layers) seen.set(l.name, (seen.get(l.name) ?? 0) + 1);
  const dupes = [...seen].filter(([, n]) => n > 1).map(([name]) => name);
  if (dupes.length) {
    throw new GraphError(`model '${graph.name}': layer names must be unique. Received duplicates: ${dupes.join(", ")}`);
  }
  if (graph.outputs.length === 0) throw new GraphError(`model '${graph.name}' has no outputs.`);
  const inputs = new Set<Tensor>(graph.inputs);
  const calls = topologicalCalls(graph);
  const accessed: string[] = [];
  for (const call of calls) {
    for (const t of call.inputs) {
      if (inputs.has(t)) continue;
      if (t.producer.inputs.length === 0) {
        throw new GraphError(
          `model '${graph.name}': graph disconnected: layer '${call.layer.name}' reads tensor ${t.label}, ` +
            `which is not one of the model's inputs (${graph.inputs.map((i) => i.label).join(", ") || "none"}). ` +
            `The following previous layers were accessed without issue: [${accessed.join(", ")}]`,
        );
      }
    }
    accessed.push(call.layer.name);
  }
  for (const t of graph.inputs) {
    if (t.producer.inputs.length === 0) continue;
    // A cut input must not itself depend on another input of the same graph (it would be computed twice).
    for (const other of graph.inputs) {
      if (other !== t && dependsOn(t, other)) {
        throw new GraphError(
          `model '${graph.name}': input ${t.label} is computed from another input, ${other.label}; inputs must be independent.`,
        );
      }
    }
  }
}

function dependsOn(t: Tensor, on: Tensor, seen = new Set<Tensor>()): boolean {
  if (t === on) return true;
  if (seen.has(t)) return false;
  seen.add(t);
  return t.producer.inputs.some((i) => dependsOn(i, on, seen));
}
