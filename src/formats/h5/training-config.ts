import { isRecord } from "../model-json.js";

type Json = Record<string, unknown>;

/**
 * Legacy HDF5 files keep `model.compile(...)`'s arguments as `training_config`: Keras 3's
 * `compile_config` without `optimizer`, plus `optimizer_config = {"class_name", "config"}`
 * (`saving_utils.model_metadata`). These two functions convert one into the other, losslessly.
 */
export function compileConfigFromTraining(training: unknown): Json | null {
  if (!isRecord(training)) return null;
  const { optimizer_config, ...rest } = training;
  return { ...(optimizer_config !== undefined ? { optimizer: optimizer_config } : {}), ...rest };
}

export function trainingConfigFromCompile(compile: unknown): Json | null {
  if (!isRecord(compile) || Object.keys(compile).length === 0) return null;
  const { optimizer, ...rest } = compile;
  const out: Json = { ...rest };
  if (isRecord(optimizer)) out.optimizer_config = { class_name: optimizer.class_name, config: optimizer.config ?? {} };
  else if (typeof optimizer === "string") out.optimizer_config = { class_name: optimizer, config: {} };
  return out;
}
