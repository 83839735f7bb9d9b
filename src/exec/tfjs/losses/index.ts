import { type tf as TF, tf } from "../runtime.js";
import { LOSS_FUNCTIONS, type LossFn, sameRank } from "./functions.js";
import { TrainingError } from "../errors.js";

export { EPSILON, LOSS_FUNCTIONS, type LossFn, sameRank } from "./functions.js";

/** A resolved Keras loss: its function, the function's arguments and the reduction. */
export interface Loss {
  /** Keras's name for it ("sparse_categorical_crossentropy", or the string it was given as). */
  name: string;
  /** The Keras function it computes ("sparse_categorical_crossentropy"). */
  kind: string;
  fn: LossFn;
  config: Record<string, unknown>;
  reduction: "sum_over_batch_size" | "mean" | "mean_with_sample_weight" | "sum";
}

/** What `compile({loss})` takes for one output: a Keras name, a serialized Loss, or null (no loss). */
export type LossIdentifier = string | { class_name: string; config?: unknown } | null;

/** Keras's loss classes and the function each wraps. */
const CLASSES: Record<string, string> = {
  MeanSquaredError: "mean_squared_error",
  MeanAbsoluteError: "mean_absolute_error",
  MeanAbsolutePercentageError: "mean_absolute_percentage_error",
  MeanSquaredLogarithmicError: "mean_squared_logarithmic_error",
  CosineSimilarity: "cosine_similarity",
  Huber: "huber",
  LogCosh: "log_cosh",
  Hinge: "hinge",
  SquaredHinge: "squared_hinge",
  CategoricalHinge: "categorical_hinge",
  KLDivergence: "kl_divergence",
  Poisson: "poisson",
  BinaryCrossentropy: "binary_crossentropy",
  CategoricalCrossentropy: "categorical_crossentropy",
  SparseCategoricalCrossentropy: "sparse_categorical_crossentropy",
};

/** `keras.losses`'s short names. */
export const LOSS_ALIASES: Record<string, string> = {
  mse: "mean_squared_error",
  MSE: "mean_squared_error",
  mae: "mean_absolute_error",
  MAE: "mean_absolute_error",
  mape: "mean_absolute_percentage_error",
  MAPE: "mean_absolute_percentage_error",
  msle: "mean_squared_logarithmic_error",
  MSLE: "mean_squared_logarithmic_error",
  kld: "kl_divergence",
  KLD: "kl_divergence",
  kullback_leibler_divergence: "kl_divergence",
  bce: "binary_crossentropy",
  BCE: "binary_crossentropy",
  logcosh: "log_cosh",
};

const REDUCTIONS = new Set(["sum_over_batch_size", "mean", "mean_with_sample_weight", "sum"]);

/**
 * `compile_utils.get_loss`: resolves a loss for one output. "crossentropy"/"ce" pick binary, sparse or
 * categorical crossentropy from the target and output shapes as Keras does (a last dimension of 1 is
 * binary; a target of lower rank, or a target ending in 1, is sparse).
 */
export function getLoss(identifier: LossIdentifier, yTrueShape: number[], yPredShape: number[]): Loss | null {
  if (identifier === null || identifier === undefined) return null;
  if (typeof identifier === "string") {
    if (["crossentropy", "ce"].includes(identifier.toLowerCase())) {
      const fn = autoCrossentropy(yTrueShape, yPredShape);
      return { name: identifier, kind: fn, fn: LOSS_FUNCTIONS[fn]!, config: {}, reduction: "sum_over_batch_size" };
    }
    const fnName = LOSS_ALIASES[identifier] ?? CLASSES[identifier] ?? identifier;
    const fn = LOSS_FUNCTIONS[fnName];
    if (!fn) throw unknownLoss(identifier);
    return { name: identifier, kind: fnName, fn, config: {}, reduction: "sum_over_batch_size" };
  }
  const { class_name: className, config } = identifier;
  if (className === "function" && typeof config === "string") return getLoss(config, yTrueShape, yPredShape);
  const fnName = CLASSES[className];
  if (!fnName) throw unknownLoss(identifier);
  const c = (config ?? {}) as Record<string, unknown>;
  const reduction = (c.reduction ?? "sum_over_batch_size") as Loss["reduction"];
  if (!REDUCTIONS.has(reduction)) {
    throw new TrainingError(
      `loss ${className}: reduction must be one of ${[...REDUCTIONS].join(", ")}. Received: reduction=${JSON.stringify(c.reduction)}`,
    );
  }
  const name = typeof c.name === "string" ? c.name : fnName;
  return { name, kind: fnName, fn: LOSS_FUNCTIONS[fnName]!, config: c, reduction };
}

/** `is_binary_or_sparse_categorical` → the crossentropy Keras picks for "crossentropy". */
export function autoCrossentropy(yTrueShape: number[], yPredShape: number[]): string {
  if (yPredShape.at(-1) === 1) return "binary_crossentropy";
  const sparse = yTrueShape.length < yPredShape.length || (yTrueShape.at(-1) === 1 && (yPredShape.at(-1) ?? 0) > 1);
  return sparse ? "sparse_categorical_crossentropy" : "categorical_crossentropy";
}

function unknownLoss(identifier: unknown): TrainingError {
  return new TrainingError(
    `unknown loss. Received: ${JSON.stringify(identifier)}; kerasgraph trains with ${Object.keys(LOSS_FUNCTIONS).join(", ")} ` +
      `(or their Keras class names and aliases ${Object.keys(LOSS_ALIASES).join(", ")}).`,
  );
}

/**
 * `Loss.__call__`: the per-sample values of `(y_true, y_pred)` (after LossFunctionWrapper's rank
 * matching), reduced to a scalar: `sum_over_batch_size` divides the sum by the number of values.
 */
export function computeLoss(loss: Loss, yTrue: TF.Tensor, yPred: TF.Tensor): TF.Scalar {
  const [t, p] = sameRank(tf.cast(yTrue, "float32"), yPred);
  const values = loss.fn(t, p, loss.config);
  return loss.reduction === "sum" ? tf.sum(values) : tf.mean(values);
}
