import { GraphError } from "./errors.js";
import type { Call, Layer, Tensor } from "./graph.js";

/**
 * Keras's order of a functional model's layers (`map_graph` in keras/src/ops/function.py): calls are
 * found depth-first from the outputs, each layer gets the depth of its deepest call (distance to the
 * outputs, shared layers at their greatest), layers are listed by decreasing depth and, within a depth,
 * in the order the search first met them. Unused InputLayer inputs come last at depth 0. This is the
 * order of `model.layers`, of the summary's rows and of the config's `layers` list.
 */
export function kerasLayerOrder(inputs: Tensor[], outputs: Tensor[]): { layers: Layer[]; calls: Call[] } {
  const inputSet = new Set(inputs);
  const finished = new Set<Call>();
  const inProgress = new Set<Call>();
  const callsInDecreasingDepth: Call[] = [];
  const layerIndex = new Map<Layer, number>();

  const visit = (t: Tensor): void => {
    const call = t.producer;
    if (finished.has(call)) return;
    const isInput = call.inputs.length === 0;
    if (!isInput && inputSet.has(t)) {
      finished.add(call);
      return;
    }
    if (inProgress.has(call)) throw new GraphError(`tensor ${t.label} from layer '${call.layer.name}' is part of a cycle.`);
    if (!layerIndex.has(call.layer)) layerIndex.set(call.layer, layerIndex.size);
    inProgress.add(call);
    if (!isInput) for (const x of call.inputs) visit(x);
    finished.add(call);
    inProgress.delete(call);
    callsInDecreasingDepth.push(call);
  };
  for (const t of outputs) visit(t);

  const inGraph = new Set(callsInDecreasingDepth);
  const callDepth = new Map<Call, number>();
  const layerDepth = new Map<Layer, number>();
  for (const call of [...callsInDecreasingDepth].reverse()) {
    let depth = callDepth.get(call) ?? 0;
    depth = Math.max(depth, layerDepth.get(call.layer) ?? 0);
    layerDepth.set(call.layer, depth);
    callDepth.set(call, depth);
    for (const x of call.inputs) {
      const parent = x.producer;
      if (!inGraph.has(parent) || (inputSet.has(x) && parent.inputs.length > 0)) continue;
      callDepth.set(parent, Math.max(depth + 1, callDepth.get(parent) ?? 0));
    }
  }
  for (const t of inputs) {
    const call = t.producer;
    if (call.inputs.length === 0 && !layerDepth.has(call.layer)) {
      layerDepth.set(call.layer, 0);
      layerIndex.set(call.layer, -1);
      callDepth.set(call, 0);
    }
  }
  const layers = [...layerDepth.keys()].sort(
    (a, b) => layerDepth.get(b)! - layerDepth.get(a)! || layerIndex.get(a)! - layerIndex.get(b)!,
  );
  const calls = [...callDepth.keys()].sort((a, b) => callDepth.get(b)! - callDepth.get(a)!);
  return { layers, calls };
}
