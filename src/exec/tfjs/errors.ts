import { KerasGraphError } from "../../ir/errors.js";

/**
 * Arguments training cannot use: an unknown optimizer, loss or metric, a config value out of range,
 * compile arguments that do not fit the model's outputs, fit arguments out of range.
 */
export class TrainingError extends KerasGraphError {
  override name = "TrainingError";
}
