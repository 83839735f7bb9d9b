import { tfjsModelTopology } from "../../formats/tfjs/topology.js";
import type { Graph } from "../../ir/graph.js";
import { assertTfjsCanRun } from "./support.js";
import { type tf as TF, tf } from "./runtime.js";
import { setTfjsWeights } from "./weights.js";

export interface BuildOptions {
  /** Copy the graph's weight values into the model (default true); false keeps tfjs's initial values. */
  weights?: boolean;
}

/**
 * A live tfjs-layers model for the graph: its architecture in the Keras 2 dialect tfjs-layers reads
 * (`modelFromJSON`), then Keras's weight values. Layers tfjs-layers does not have are named in one
 * UnsupportedLayerError before anything is built.
 */
export async function buildTfjsModel(graph: Graph, options: BuildOptions = {}): Promise<TF.LayersModel> {
  assertTfjsCanRun(graph);
  const modelTopology = tfjsModelTopology(graph) as TF.io.ModelJSON["modelTopology"];
  const model = await tf.models.modelFromJSON({ modelTopology } as TF.io.ModelJSON);
  if (options.weights !== false) setTfjsWeights(graph, model);
  return model;
}
