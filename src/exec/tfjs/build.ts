import { tfjsModelTopology } from "../../formats/tfjs/topology.js";
import type { Graph } from "../../ir/graph.js";
import { registerKerasgraphLayers } from "./layers/index.js";
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
  registerKerasgraphLayers();
  const topology = tfjsModelTopology(graph);
  // Keras's values replace the initial ones, so tfjs need not run the initializers (an Orthogonal
  // recurrent kernel is a QR decomposition per LSTM).
  const modelTopology = (
    options.weights === false ? topology : zeroInitializers(topology)
  ) as TF.io.ModelJSON["modelTopology"];
  const model = await tf.models.modelFromJSON({ modelTopology } as TF.io.ModelJSON);
  if (options.weights !== false) setTfjsWeights(graph, model);
  return model;
}

/** The topology with every `*_initializer` replaced by Zeros (the weights are set right after). */
function zeroInitializers(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(zeroInitializers);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      k.endsWith("_initializer") && v !== null ? { class_name: "Zeros", config: {} } : zeroInitializers(v),
    ]),
  );
}
