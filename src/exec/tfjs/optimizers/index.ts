import { Adagrad } from "./adagrad.js";
import { Adam, AdamW } from "./adam.js";
import { Adamax } from "./adamax.js";
import { KerasOptimizer, type OptimizerConfig } from "./base.js";
import { RMSprop } from "./rmsprop.js";
import { SGD } from "./sgd.js";
import { TrainingError } from "../errors.js";

export { KerasOptimizer, type OptimizerConfig, type OptimizerSlot } from "./base.js";
export { Adagrad, Adam, AdamW, Adamax, RMSprop, SGD };

const CLASSES: Record<string, new (config?: OptimizerConfig) => KerasOptimizer> = {
  SGD,
  RMSprop,
  Adam,
  AdamW,
  Adagrad,
  Adamax,
};

/** What `compile({optimizer})` takes: a Keras name ("rmsprop"), a serialized optimizer, or an instance. */
export type OptimizerIdentifier = string | { class_name: string; config?: OptimizerConfig } | KerasOptimizer;

/**
 * `keras.optimizers.get(identifier)`: a name (case-insensitive, "rmsprop", "Adam") with Keras's
 * defaults, `{"class_name", "config"}` as Keras serializes optimizers (a compiled `.keras` file's
 * `compile_config.optimizer`), or an optimizer made here.
 */
export function getOptimizer(identifier: OptimizerIdentifier): KerasOptimizer {
  if (identifier instanceof KerasOptimizer) return identifier;
  const className = typeof identifier === "string" ? identifier : identifier?.class_name;
  const entry = Object.entries(CLASSES).find(([k]) => k.toLowerCase() === String(className).toLowerCase());
  if (!entry) {
    throw new TrainingError(
      `unknown optimizer. Received: ${JSON.stringify(identifier)}; kerasgraph trains with ${Object.keys(CLASSES).join(", ")}.`,
    );
  }
  const config = typeof identifier === "string" ? {} : (identifier.config ?? {});
  return new entry[1](config);
}
