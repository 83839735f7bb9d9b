import type { OnnxGraph } from "./model.js";

/**
 * Gives the graph outputs their final names (the Keras output layers' names, then the exposed layers'
 * keys). A value made by a node is renamed in place; a graph input, an initializer or a value already
 * given to an earlier output gets an Identity node instead (ONNX values have one name each).
 * Returns the names, made unique, in output order.
 */
export function finalizeOutputs(graph: OnnxGraph, wanted: string[]): string[] {
  const used = new Set<string>();
  for (const n of graph.nodes) for (const v of [...n.inputs, ...n.outputs]) used.add(v);
  for (const v of graph.inputs) used.add(v.name);
  for (const t of graph.initializers) used.add(t.name);
  const producedBy = new Map<string, number>();
  graph.nodes.forEach((n, i) => n.outputs.forEach((o) => producedBy.set(o, i)));
  const claimed = new Set<string>();
  const names: string[] = [];
  const fresh = (want: string): string => {
    let name = want;
    for (let k = 1; used.has(name); k++) name = `${want}_${k}`;
    used.add(name);
    return name;
  };
  graph.outputs.forEach((out, i) => {
    const value = out.name;
    const want = wanted[i]!;
    let name: string;
    if (!claimed.has(value) && producedBy.has(value)) {
      name = want === value ? want : fresh(want);
      if (name !== value) {
        renameValue(graph, value, name);
        producedBy.set(name, producedBy.get(value)!);
        producedBy.delete(value);
      }
    } else {
      name = fresh(want);
      graph.nodes.push({
        name: `${name}/Identity`,
        opType: "Identity",
        inputs: [value],
        outputs: [name],
        attributes: {},
      });
    }
    claimed.add(name);
    out.name = name;
    names.push(name);
  });
  return names;
}

function renameValue(graph: OnnxGraph, from: string, to: string): void {
  for (const n of graph.nodes) {
    n.inputs = n.inputs.map((v) => (v === from ? to : v));
    n.outputs = n.outputs.map((v) => (v === from ? to : v));
  }
  for (const o of graph.outputs) if (o.name === from) o.name = to;
}
