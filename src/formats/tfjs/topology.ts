import type { Graph } from "../../ir/graph.js";
import { writeKerasJson } from "../keras-json/write.js";
import type { Json } from "../keras-json/parse.js";
import { isRecord } from "../model-json.js";
import { tfjsActivationName } from "./tfjs-support.js";

/**
 * The graph as a TF.js `modelTopology`: the tf.keras 2 model config tfjs-layers reads (`{"class_name",
 * "config", "keras_version", "backend"}`), with Keras 3's activation names that tfjs-layers spells
 * differently translated (`silu` → `swish`).
 */
export function tfjsModelTopology(graph: Graph): Json {
  return renameActivations(writeKerasJson(graph, { dialect: "keras2" })) as Json;
}

function renameActivations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(renameActivations);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      (k === "activation" || k === "recurrent_activation") && typeof v === "string"
        ? tfjsActivationName(v)
        : renameActivations(v);
  }
  return out;
}

/**
 * The `modelTopology` a model.json file holds: the model config as tfjs-layers saves it, or, for a
 * compiled model, the converter's `{keras_version, backend, model_config, training_config}` (tfjs-layers
 * reads the model config from either and ignores `training_config`, which keeps the compile arguments:
 * Keras's `compile_config` with the optimizer, whole, as `optimizer_config`).
 */
export function tfjsFileTopology(graph: Graph): Json {
  const model = tfjsModelTopology(graph);
  const compile = graph.envelope.compile_config;
  if (!isRecord(compile) || Object.keys(compile).length === 0) return model;
  const { optimizer, ...rest } = compile;
  const training = { ...rest, ...(optimizer !== undefined ? { optimizer_config: optimizer } : {}) };
  const { keras_version, backend, ...modelConfig } = model;
  return { keras_version, backend, model_config: modelConfig, training_config: training };
}
