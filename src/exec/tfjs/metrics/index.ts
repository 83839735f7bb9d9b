import { LOSS_ALIASES, LOSS_FUNCTIONS, autoCrossentropy } from "../losses/index.js";
import { type tf as TF, tf } from "../runtime.js";
import { METRIC_FUNCTIONS, type MetricFn } from "./functions.js";
import { TrainingError } from "../errors.js";

/** What `compile({metrics})` takes for one metric: a Keras name or a serialized Metric. */
export type MetricIdentifier = string | { class_name: string; config?: Record<string, unknown> };

/** Keras's metric classes and the function each averages. */
const CLASSES: Record<string, string> = {
  Accuracy: "accuracy",
  BinaryAccuracy: "binary_accuracy",
  CategoricalAccuracy: "categorical_accuracy",
  SparseCategoricalAccuracy: "sparse_categorical_accuracy",
  TopKCategoricalAccuracy: "top_k_categorical_accuracy",
  SparseTopKCategoricalAccuracy: "sparse_top_k_categorical_accuracy",
  MeanSquaredError: "mean_squared_error",
  MeanAbsoluteError: "mean_absolute_error",
  MeanAbsolutePercentageError: "mean_absolute_percentage_error",
  MeanSquaredLogarithmicError: "mean_squared_logarithmic_error",
  RootMeanSquaredError: "root_mean_squared_error",
  CosineSimilarity: "cosine_similarity",
  LogCoshError: "log_cosh",
  Hinge: "hinge",
  SquaredHinge: "squared_hinge",
  CategoricalHinge: "categorical_hinge",
  KLDivergence: "kl_divergence",
  Poisson: "poisson",
  BinaryCrossentropy: "binary_crossentropy",
  CategoricalCrossentropy: "categorical_crossentropy",
  SparseCategoricalCrossentropy: "sparse_categorical_crossentropy",
};

/** Keras's snake_case metric names (`to_snake_case(cls.__name__)`) that differ from the function's. */
const SNAKE: Record<string, string> = {
  logcosh: "log_cosh",
  log_cosh_error: "log_cosh",
  rmse: "root_mean_squared_error",
};

/**
 * One compiled metric: a MeanMetricWrapper (the per-sample values of a function, averaged over every
 * sample seen since the last reset), or RootMeanSquaredError (the square root of that mean).
 */
export class Metric {
  private total = 0;
  private count = 0;
  constructor(
    /** The name the logs use (`accuracy`, `<output>_mae`). */
    public name: string,
    /** The Keras function it averages ("sparse_categorical_accuracy"). */
    readonly kind: string,
    private readonly fn: MetricFn,
    readonly config: Record<string, unknown>,
    private readonly sqrtResult = false,
  ) {}

  /** The per-sample values for one batch, reduced to one value per sample (`reduce_to_samplewise_values`). */
  values(yTrue: TF.Tensor, yPred: TF.Tensor): TF.Tensor {
    const v = this.fn(yTrue, yPred, this.config);
    return v.rank > 1 ? tf.mean(v, [...Array(v.rank).keys()].slice(1)) : v.rank === 0 ? tf.reshape(v, [1]) : v;
  }

  /** Adds one batch's per-sample values (as `values` made them, read back). */
  add(samplewise: ArrayLike<number>): void {
    for (let i = 0; i < samplewise.length; i++) this.total += samplewise[i]!;
    this.count += samplewise.length;
  }

  result(): number {
    const mean = this.count === 0 ? 0 : this.total / this.count;
    return this.sqrtResult ? Math.sqrt(mean) : mean;
  }

  reset(): void {
    this.total = 0;
    this.count = 0;
  }
}

/**
 * `compile_utils.get_metric`: "accuracy"/"acc" become binary, sparse or categorical accuracy from the
 * target and output shapes (a last dimension of 1 is binary; a target of lower rank, or ending in 1, is
 * sparse); other names and `{"class_name", "config"}` resolve to Keras's metric of that name. The
 * metric is named as given for a string, else by its config's `name`.
 */
export function getMetric(identifier: MetricIdentifier, yTrueShape: number[], yPredShape: number[]): Metric {
  if (typeof identifier === "string") {
    if (["accuracy", "acc"].includes(identifier.toLowerCase())) {
      const kind = autoCrossentropy(yTrueShape, yPredShape).replace("crossentropy", "accuracy");
      return new Metric(identifier, kind, METRIC_FUNCTIONS[kind]!, {});
    }
    const fnName = LOSS_ALIASES[identifier] ?? SNAKE[identifier] ?? CLASSES[identifier] ?? identifier;
    return make(identifier, fnName, {}, identifier);
  }
  const fnName = CLASSES[identifier.class_name];
  if (!fnName) throw unknownMetric(identifier);
  const config = identifier.config ?? {};
  return make(typeof config.name === "string" ? config.name : fnName, fnName, config, identifier);
}

function make(name: string, fnName: string, config: Record<string, unknown>, identifier: MetricIdentifier): Metric {
  const fn = METRIC_FUNCTIONS[fnName] ?? LOSS_FUNCTIONS[fnName];
  if (!fn) throw unknownMetric(identifier);
  return new Metric(name, fnName, fn, config, fnName === "root_mean_squared_error");
}

function unknownMetric(identifier: unknown): TrainingError {
  return new TrainingError(
    `unknown metric. Received: ${JSON.stringify(identifier)}; kerasgraph computes accuracy and ` +
      `${[...Object.keys(METRIC_FUNCTIONS), ...Object.keys(LOSS_FUNCTIONS)].join(", ")} (and their Keras class names).`,
  );
}
