import type { CompileArgs } from "./compile.js";
import { TrainingError } from "../errors.js";

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/**
 * The compile arguments a saved model records: Keras 3's `compile_config` (`.keras`), or a legacy
 * `.h5` file's `training_config` (which the reader turns into the same shape). Keras 2's optimizer
 * spellings (`lr`, `Custom>Adam`) are read as Keras 3 reads them. Returns null for an uncompiled model.
 */
export function compileArgsFromConfig(config: unknown): CompileArgs | null {
  if (!isRecord(config) || Object.keys(config).length === 0) return null;
  const args: CompileArgs = {};
  if (config.optimizer !== undefined && config.optimizer !== null) args.optimizer = optimizer(config.optimizer);
  if (config.loss !== undefined && config.loss !== null) args.loss = config.loss as CompileArgs["loss"];
  if (config.loss_weights !== undefined && config.loss_weights !== null)
    args.lossWeights = config.loss_weights as CompileArgs["lossWeights"];
  if (config.metrics !== undefined && config.metrics !== null) args.metrics = config.metrics as CompileArgs["metrics"];
  return args;
}

function optimizer(value: unknown): NonNullable<CompileArgs["optimizer"]> {
  if (typeof value === "string") return value;
  if (!isRecord(value) || typeof value.class_name !== "string") {
    throw new TrainingError(
      `compile_config.optimizer must be a name or {"class_name", "config"}. Received: ${JSON.stringify(value)}`,
    );
  }
  const config = isRecord(value.config) ? { ...value.config } : {};
  if (config.lr !== undefined && config.learning_rate === undefined) config.learning_rate = config.lr;
  delete config.lr;
  // Keras 3 ignores tf.keras 2's `decay` (with a warning); so does kerasgraph.
  delete config.decay;
  return { class_name: value.class_name.replace(/^Custom>/, ""), config };
}
