import type { Graph } from "../../ir/graph.js";
import { writeAtomically } from "../atomic-write.js";
import { H5Tree, writeH5File } from "../hdf5/writer.js";
import type { Json } from "../keras-json/parse.js";
import { writeKerasJson } from "../keras-json/write.js";
import { pythonJsonDumps } from "../python-json.js";
import { addLegacyOptimizer, addLegacyWeights, type LegacyWriteStyle } from "./legacy-weights.js";
import { trainingConfigFromCompile } from "./training-config.js";

/** The Keras 3 release whose legacy HDF5 layout the writer follows, declared when the graph has no Keras 3 version. */
export const KERAS_H5_VERSION = "3.16.0";

export interface WriteH5Options {
  /**
   * "keras3" (default): Keras 3's `legacy_h5_format` (what `model.save("m.h5")` writes in Keras 3);
   * "keras2": tf.keras 2's (TF 2.4-2.15: Keras 2 JSON, `dense/kernel:0` names).
   */
  dialect?: "keras3" | "keras2";
  /** The `keras_version` to record: the source's when it matches the dialect's major version. */
  kerasVersion?: string;
  /** The `backend` to record (default: the source's, else "tensorflow"). */
  backend?: string;
  /** Write the optimizer's variables when the graph has them (default true). */
  includeOptimizer?: boolean;
}

/**
 * Writes a legacy HDF5 model file as `save_model_to_hdf5` does: root attributes `keras_version`,
 * `backend`, `model_config` and (when compiled) `training_config`; group `model_weights`; and
 * `optimizer_weights`. Written to a temporary file beside `dest`, then renamed over it.
 */
export async function writeH5Model(graph: Graph, dest: string, options: WriteH5Options = {}): Promise<void> {
  const style = writeStyle(graph, options);
  const modelJson = writeKerasJson(graph, { dialect: style.dialect });
  const modelConfig = { class_name: modelJson.class_name, config: modelJson.config };
  if (style.dialect === "keras3") stripLayerEnvelopes(modelConfig);
  const training = trainingConfigFromCompile(graph.envelope.compile_config);
  const tree = new H5Tree();
  tree.attr("/", "keras_version", { kind: "text", value: style.kerasVersion, cset: "utf8" });
  tree.attr("/", "backend", { kind: "text", value: style.backend, cset: "utf8" });
  tree.attr("/", "model_config", { kind: "text", value: pythonJsonDumps(modelConfig), cset: "ascii" });
  if (training) tree.attr("/", "training_config", { kind: "text", value: pythonJsonDumps(training), cset: "ascii" });
  addLegacyWeights(tree, "/model_weights", graph, style);
  if (graph.optimizer && options.includeOptimizer !== false) addLegacyOptimizer(tree, graph.optimizer);
  await writeAtomically(dest, (temp) => void writeH5File(tree, temp));
}

/**
 * Writes only the weights, as tf.keras 2's `model.save_weights("w.h5")` did (`layer_names` and the layer
 * groups at the root), to pair with an architecture JSON.
 */
export async function writeH5Weights(graph: Graph, dest: string, options: WriteH5Options = {}): Promise<void> {
  const tree = new H5Tree();
  addLegacyWeights(tree, "/", graph, writeStyle(graph, options));
  await writeAtomically(dest, (temp) => void writeH5File(tree, temp));
}

function writeStyle(graph: Graph, options: WriteH5Options): LegacyWriteStyle {
  const dialect = options.dialect ?? "keras3";
  const major = dialect === "keras3" ? "3" : "2";
  const source =
    options.kerasVersion ??
    (typeof graph.envelope.keras_version === "string" ? graph.envelope.keras_version : undefined);
  const matches = source !== undefined && source.startsWith(`${major}.`);
  const kerasVersion = matches ? source : dialect === "keras3" ? KERAS_H5_VERSION : "2.15.0";
  const backend =
    (matches ? options.backend : undefined) ??
    (dialect === "keras3" && options.backend ? options.backend : "tensorflow");
  return { dialect, kerasVersion, backend };
}

/**
 * Keras 3's legacy `model_config` is its JSON config with the layer entries in the legacy form: no
 * `module`, `registered_name` or `build_config` beside `class_name`/`config` (nested objects keep theirs).
 */
function stripLayerEnvelopes(model: Json): void {
  const config = model.config as Json | undefined;
  const layers = config?.layers;
  if (!Array.isArray(layers)) return;
  for (const entry of layers as Json[]) {
    if (entry === null || typeof entry !== "object") continue;
    delete entry.module;
    delete entry.registered_name;
    delete entry.build_config;
    delete entry.compile_config;
    stripLayerEnvelopes(entry);
  }
}
