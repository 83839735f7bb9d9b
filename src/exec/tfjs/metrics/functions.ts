import { LOSS_FUNCTIONS, sameRank } from "../losses/index.js";
import { type tf as TF, tf } from "../runtime.js";

type Tensor = TF.Tensor;

/** A Keras metric function: per-sample values from `(y_true, y_pred)` and the metric's config. */
export type MetricFn = (yTrue: Tensor, yPred: Tensor, config: Record<string, unknown>) => Tensor;

const float = (x: Tensor) => tf.cast(x, "float32");

/** `y_true` of shape (n, 1) against `y_pred` of shape (n, k): the labels as a vector. */
function squeezeLabels(yTrue: Tensor, yPred: Tensor): Tensor {
  return yTrue.rank === yPred.rank && yTrue.shape.at(-1) === 1 ? tf.squeeze(yTrue, [-1]) : yTrue;
}

/** Whether each label is among the `k` largest scores (`ops.in_top_k`). */
function inTopK(labels: Tensor, scores: Tensor, k: number): Tensor {
  const flatScores = scores.rank > 2 ? tf.reshape(scores, [-1, scores.shape.at(-1)!]) : scores;
  const flatLabels = tf.cast(tf.reshape(labels, [-1]), "int32");
  const { indices } = tf.topk(flatScores, Math.min(k, flatScores.shape.at(-1)!));
  const hit = tf.any(tf.equal(indices, tf.expandDims(flatLabels, -1)), -1);
  return tf.reshape(float(hit), labels.shape);
}

/** Keras 3's accuracy metrics (keras/src/metrics/accuracy_metrics.py) and the metric forms of losses. */
export const METRIC_FUNCTIONS: Record<string, MetricFn> = {
  accuracy: (yt, yp) => float(tf.equal(...sameRank(float(yt), yp))),
  binary_accuracy: (yt, yp, c) => {
    const [t, p] = sameRank(float(yt), yp);
    const threshold = typeof c.threshold === "number" ? c.threshold : 0.5;
    return float(tf.equal(t, float(tf.greater(p, threshold))));
  },
  categorical_accuracy: (yt, yp) => float(tf.equal(tf.argMax(yt, -1), tf.argMax(yp, -1))),
  sparse_categorical_accuracy: (yt, yp) => {
    const t = squeezeLabels(float(yt), yp);
    return float(tf.equal(t, float(tf.argMax(yp, -1))));
  },
  top_k_categorical_accuracy: (yt, yp, c) => inTopK(tf.argMax(yt, -1), yp, typeof c.k === "number" ? c.k : 5),
  sparse_top_k_categorical_accuracy: (yt, yp, c) =>
    inTopK(squeezeLabels(yt, yp), yp, typeof c.k === "number" ? c.k : 5),
  cosine_similarity: (yt, yp, c) => tf.neg(LOSS_FUNCTIONS.cosine_similarity!(float(yt), yp, c)),
  // Squared errors, averaged over the epoch and then square-rooted (RootMeanSquaredError.result).
  root_mean_squared_error: (yt, yp) => tf.squaredDifference(...sameRank(float(yt), yp)),
};
