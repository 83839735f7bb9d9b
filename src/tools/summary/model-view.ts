import { GraphError } from "../../ir/errors.js";
import type { ArgTree, Call, Graph, IOStructure, Layer } from "../../ir/graph.js";
import { Tensor } from "../../ir/graph.js";

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
  const { operations, nodesByDepth } = mapGraph(graph);
  const calls = new Set<Call>([...nodesByDepth.values()].flat());
  return { layers: operations, calls, sequentialLike: looksSequential(operations, nodesByDepth) };
}

/** The layers a nested model lists when `expand_nested` opens it. */
export function nestedLayers(layer: Layer): Layer[] {
  return layer.subgraph ? modelView(layer.subgraph).layers : [];
}

/** `print_summary`'s test: a Functional is drawn like a Sequential when it is a plain chain. */
function looksSequential(layers: Layer[], nodesByDepth: Map<number, Call[]>): boolean {
  const nodes = new Set<Call>();
  for (const calls of nodesByDepth.values()) {
    if (calls.length > 1 || (calls.length === 1 && kerasInputs(calls[0]!).length > 1)) return false;
    for (const c of calls) nodes.add(c);
  }
  return layers.every((l) => l.calls.filter((c) => nodes.has(c)).length <= 1);
}

/**
 * A call's input tensors in Keras's order (`node.input_tensors`): `tree.flatten((args, kwargs))`,
 * which visits record keys sorted, duplicates kept.
 */
export function kerasInputs(call: Call): Tensor[] {
  const out: Tensor[] = [];
  const walk = (tree: unknown): void => {
    if (tree instanceof Tensor) out.push(tree);
    else if (Array.isArray(tree)) for (const v of tree) walk(v);
    else if (tree !== null && typeof tree === "object") {
      const record = tree as Record<string, ArgTree<Tensor>>;
      for (const key of Object.keys(record).sort()) walk(record[key]);
    }
  };
  walk(call.args);
  walk(call.kwargs);
  return out;
}

/** Tensors in `tree.flatten` order: a record's entries by sorted key. */
export function flattenIO(tensors: Tensor[], structure: IOStructure): Tensor[] {
  if (structure.kind !== "dict" || structure.keys.length !== tensors.length) return tensors;
  const keys = structure.keys;
  return keys
    .map((key, i) => [key, tensors[i]!] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, t]) => t);
}

/**
 * Keras's `map_graph(inputs, outputs)` (keras/src/ops/function.py): a depth-first walk from the
 * outputs that orders calls inputs-first and numbers layers by first visit, then the depth of each call
 * (the longest path to an output). Operations come out deepest first, ties by first visit.
 */
function mapGraph(graph: Graph): { operations: Layer[]; nodesByDepth: Map<number, Call[]> } {
  const inputs = new Set<Tensor>(graph.inputs);
  const finished = new Set<Call>();
  const inProgress = new Set<Call>();
  const order: Call[] = [];
  const firstVisit = new Map<Layer, number>();

  // `_build_map_helper`, with an explicit stack so that deep models do not exhaust the call stack.
  const visit = (root: Tensor): void => {
    const stack: { call: Call; inputs: Tensor[]; next: number }[] = [];
    const enter = (t: Tensor): void => {
      const call = t.producer;
      if (finished.has(call)) return;
      const callInputs = kerasInputs(call);
      const isInput = callInputs.length === 0;
      if (!isInput && inputs.has(t)) {
        finished.add(call);
        return;
      }
      if (inProgress.has(call)) {
        throw new GraphError(
          `model '${graph.name}': tensor ${t.label} from layer '${call.layer.name}' is part of a cycle.`,
        );
      }
      if (!firstVisit.has(call.layer)) firstVisit.set(call.layer, firstVisit.size);
      inProgress.add(call);
      stack.push({ call, inputs: isInput ? [] : callInputs, next: 0 });
    };
    enter(root);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      if (top.next < top.inputs.length) {
        enter(top.inputs[top.next++]!);
        continue;
      }
      stack.pop();
      finished.add(top.call);
      inProgress.delete(top.call);
      order.push(top.call);
    }
  };
  for (const t of flattenIO(graph.outputs, graph.outputStructure)) visit(t);

  const inGraph = new Set(order);
  const nodeDepth = new Map<Call, number>();
  const layerDepth = new Map<Layer, number>();
  for (const call of [...order].reverse()) {
    if (!nodeDepth.has(call)) nodeDepth.set(call, 0);
    // A shared layer takes the greatest depth any of its calls has.
    const depth = Math.max(nodeDepth.get(call)!, layerDepth.get(call.layer) ?? 0);
    layerDepth.set(call.layer, depth);
    nodeDepth.set(call, depth);
    for (const t of kerasInputs(call)) {
      if (!inGraph.has(t.producer)) continue;
      nodeDepth.set(t.producer, Math.max(depth + 1, nodeDepth.get(t.producer) ?? 0));
    }
  }
  // Inputs that no output depends on still belong to the model (their InputLayer, at depth 0).
  for (const t of flattenIO(graph.inputs, graph.inputStructure)) {
    if (layerDepth.has(t.layer) || kerasInputs(t.producer).length > 0) continue;
    layerDepth.set(t.layer, 0);
    firstVisit.set(t.layer, -1);
    nodeDepth.set(t.producer, 0);
  }

  const nodesByDepth = groupBy(nodeDepth);
  const layersByDepth = groupBy(layerDepth);
  const operations = [...layersByDepth.keys()]
    .sort((a, b) => b - a)
    .flatMap((d) => layersByDepth.get(d)!.sort((a, b) => firstVisit.get(a)! - firstVisit.get(b)!));
  return { operations, nodesByDepth };
}

/** Inverts a map, keeping the keys' insertion order within each group (Python's defaultdict(list)). */
function groupBy<K>(depths: Map<K, number>): Map<number, K[]> {
  const out = new Map<number, K[]>();
  for (const [key, depth] of depths) {
    const group = out.get(depth);
    if (group) group.push(key);
    else out.set(depth, [key]);
  }
  return out;
}
