import { GraphError } from "./errors.js";
import type { Call, IOStructure, Layer } from "./graph.js";
import type { Tensor } from "./graph.js";

/** Keras's view of a functional model's wiring (`map_graph` in keras/src/ops/function.py). */
export interface KerasGraphMap {
  /** `model.operations` order: deepest first, ties in the order the search first met them. */
  layers: Layer[];
  /** The model's calls grouped by depth (distance to an output), in discovery order within a depth. */
  callsByDepth: Map<number, Call[]>;
}

/** Tensors in `tree.flatten` order: a record's entries by sorted key. */
export function flattenIO(tensors: Tensor[], structure: IOStructure): Tensor[] {
  if (structure.kind !== "dict" || structure.keys.length !== tensors.length) return tensors;
  return structure.keys
    .map((key, i) => [key, tensors[i]!] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, t]) => t);
}

/**
 * Keras's `map_graph(inputs, outputs)`: a depth-first walk from the outputs orders calls inputs-first
 * and numbers layers by first visit; each call's depth is its longest path to an output, a shared
 * layer takes its deepest call's depth, and layers come out deepest first, ties by first visit. Unused
 * InputLayer inputs come last at depth 0. This is the order of `model.layers`, of the summary's rows and
 * of the config's `layers` list. The walk uses an explicit stack, so deep models are fine.
 */
export function kerasGraphMap(
  inputs: Tensor[],
  outputs: Tensor[],
  structures: { inputs?: IOStructure; outputs?: IOStructure } = {},
): KerasGraphMap {
  const inputSet = new Set<Tensor>(inputs);
  const finished = new Set<Call>();
  const inProgress = new Set<Call>();
  const order: Call[] = [];
  const firstVisit = new Map<Layer, number>();

  const visit = (root: Tensor): void => {
    const stack: { call: Call; inputs: Tensor[]; next: number }[] = [];
    const enter = (t: Tensor): void => {
      const call = t.producer;
      if (finished.has(call)) return;
      const callInputs = call.inputs;
      const isInput = callInputs.length === 0;
      if (!isInput && inputSet.has(t)) {
        finished.add(call);
        return;
      }
      if (inProgress.has(call))
        throw new GraphError(`tensor ${t.label} from layer '${call.layer.name}' is part of a cycle.`);
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
  for (const t of structures.outputs ? flattenIO(outputs, structures.outputs) : outputs) visit(t);

  const inGraph = new Set(order);
  const callDepth = new Map<Call, number>();
  const layerDepth = new Map<Layer, number>();
  for (const call of [...order].reverse()) {
    if (!callDepth.has(call)) callDepth.set(call, 0);
    const depth = Math.max(callDepth.get(call)!, layerDepth.get(call.layer) ?? 0);
    layerDepth.set(call.layer, depth);
    callDepth.set(call, depth);
    for (const t of call.inputs) {
      if (!inGraph.has(t.producer)) continue;
      callDepth.set(t.producer, Math.max(depth + 1, callDepth.get(t.producer) ?? 0));
    }
  }
  for (const t of structures.inputs ? flattenIO(inputs, structures.inputs) : inputs) {
    if (layerDepth.has(t.layer) || t.producer.inputs.length > 0) continue;
    layerDepth.set(t.layer, 0);
    firstVisit.set(t.layer, -1);
    callDepth.set(t.producer, 0);
  }

  const callsByDepth = groupByDepth(callDepth);
  const layersByDepth = groupByDepth(layerDepth);
  const layers = [...layersByDepth.keys()]
    .sort((a, b) => b - a)
    .flatMap((d) => layersByDepth.get(d)!.sort((a, b) => firstVisit.get(a)! - firstVisit.get(b)!));
  return { layers, callsByDepth };
}

/** `model.layers` order for a model with these inputs and outputs (see kerasGraphMap). */
export function kerasLayerOrder(inputs: Tensor[], outputs: Tensor[]): Layer[] {
  return kerasGraphMap(inputs, outputs).layers;
}

/** Inverts a map, keeping the keys' insertion order within each group (Python's defaultdict(list)). */
function groupByDepth<K>(depths: Map<K, number>): Map<number, K[]> {
  const out = new Map<number, K[]>();
  for (const [key, depth] of depths) {
    const group = out.get(depth);
    if (group) group.push(key);
    else out.set(depth, [key]);
  }
  return out;
}
