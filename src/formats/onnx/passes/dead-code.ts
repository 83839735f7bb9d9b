import type { OnnxGraph } from "../model.js";

/**
 * Removes nodes whose outputs reach no graph output and initializers nothing reads. Returns how many
 * nodes and initializers it removed.
 */
export function removeDeadCode(graph: OnnxGraph): number {
  const live = new Set(graph.outputs.map((o) => o.name));
  const kept: typeof graph.nodes = [];
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i]!;
    if (node.outputs.some((o) => live.has(o))) {
      kept.push(node);
      for (const v of node.inputs) if (v) live.add(v);
    }
  }
  kept.reverse();
  const removed = graph.nodes.length - kept.length;
  graph.nodes = kept;
  const before = graph.initializers.length;
  graph.initializers = graph.initializers.filter((t) => live.has(t.name));
  return removed + before - graph.initializers.length;
}
