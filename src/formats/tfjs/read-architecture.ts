import { FormatError } from "../../ir/errors.js";
import type { Architecture } from "../architecture.js";
import { isRecord, parseModelJson } from "../model-json.js";

/**
 * The architecture in a TF.js layers-model `model.json`: `modelTopology` is either the model config
 * itself (`{class_name, config, keras_version, backend}`, as tfjs-layers saves) or Keras's HDF5 root
 * attributes (`{keras_version, backend, model_config, training_config}`, as the Python converter writes).
 * The `weightsManifest` and `.bin` shards are not read here.
 */
export function readTfjsArchitecture(json: unknown, file?: string): Architecture & { trainingConfig?: unknown } {
  const topology = isRecord(json) ? json.modelTopology : undefined;
  if (!isRecord(topology)) {
    throw new FormatError(`TF.js model.json needs a "modelTopology" object. Received: ${describe(topology)}`, { file });
  }
  let modelConfig: unknown = topology;
  if ("model_config" in topology) {
    modelConfig =
      typeof topology.model_config === "string" ? parseModelJson(topology.model_config, file) : topology.model_config;
  }
  if (!isRecord(modelConfig) || typeof modelConfig.class_name !== "string") {
    throw new FormatError(
      `TF.js modelTopology holds no Keras model config ({"class_name", "config"}). Received: ${describe(modelConfig)}`,
      {
        file,
      },
    );
  }
  const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
  const kerasVersion = text(topology.keras_version);
  const backend = text(topology.backend);
  const training = "model_config" in topology ? topology.training_config : undefined;
  const trainingConfig = typeof training === "string" ? parseModelJson(training, file) : training;
  return {
    modelConfig,
    ...(kerasVersion ? { kerasVersion } : {}),
    ...(backend ? { backend } : {}),
    ...(trainingConfig ? { trainingConfig } : {}),
  };
}

function describe(v: unknown): string {
  return isRecord(v)
    ? `an object with keys ${Object.keys(v).slice(0, 8).join(", ")}`
    : (JSON.stringify(v)?.slice(0, 80) ?? String(v));
}
