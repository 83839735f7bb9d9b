import type { Node } from "./graph.js";

/**
 * Who produces and who reads each value, kept up to date node by node: `update(node)` after editing a
 * node's inputs or outputs re-files just that node (from a snapshot of what was filed), so passes that
 * rewire thousands of nodes stay linear.
 */
export class GraphIndex {
  readonly producers = new Map<string, Node>();
  readonly users = new Map<string, Node[]>();
  private readonly filed = new Map<Node, { inputs: string[]; outputs: string[] }>();

  constructor(nodes: readonly Node[]) {
    for (const n of nodes) this.add(n);
  }

  add(node: Node): void {
    const inputs = [...new Set(node.inputs)].filter(Boolean);
    const outputs = node.outputs.filter(Boolean);
    for (const o of outputs) this.producers.set(o, node);
    for (const i of inputs) {
      const list = this.users.get(i);
      if (list) list.push(node);
      else this.users.set(i, [node]);
    }
    this.filed.set(node, { inputs, outputs });
  }

  remove(node: Node): void {
    const snap = this.filed.get(node);
    if (!snap) return;
    for (const o of snap.outputs) if (this.producers.get(o) === node) this.producers.delete(o);
    for (const i of snap.inputs) {
      const list = this.users.get(i);
      if (!list) continue;
      const at = list.indexOf(node);
      if (at >= 0) list.splice(at, 1);
      if (list.length === 0) this.users.delete(i);
    }
    this.filed.delete(node);
  }

  update(node: Node): void {
    this.remove(node);
    this.add(node);
  }
}
