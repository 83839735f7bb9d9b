import { GraphError } from "./errors.js";
import { Graph, type Tensor } from "./graph.js";
import { kerasLayerOrder } from "./order.js";
import { validateGraph } from "./validate.js";

/**
 * A model computing `outputs` from `inputs`, cut out of `graph` (Keras's
 * `Model(inputs=..., outputs=[layer.output, ...])` for feature extraction). The layers are shared with
 * the original, not copied, and listed in Keras's order for the new model; inputs may be any tensors
 * of the graph, not only its InputLayers.
 */
export function cutSubmodel(graph: Graph, inputs: Tensor[], outputs: Tensor[], name = `${graph.name}_cut`): Graph {
  if (outputs.length === 0) throw new GraphError(`cutSubmodel of '${graph.name}': no outputs were given.`);
  const sub = new Graph(name, "Functional");
  sub.inputs = [...inputs];
  sub.outputs = [...outputs];
  sub.inputStructure = inputs.length === 1 ? { kind: "single" } : { kind: "list" };
  sub.outputStructure = outputs.length === 1 ? { kind: "single" } : { kind: "list" };
  validateGraph(sub);
  sub.layers = kerasLayerOrder(sub.inputs, sub.outputs);
  for (const l of sub.layers) sub.names.claim(l.name);
  return sub;
}
