import { ShapeError } from "../../../ir/errors.js";
import { type tf as TF, tf } from "../runtime.js";

type Tensor = TF.Tensor;

/** Keras's `backend.epsilon()`. */
export const EPSILON = 1e-7;

/** A Keras loss function: per-sample values from `(y_true, y_pred)` and the loss's config. */
export type LossFn = (yTrue: Tensor, yPred: Tensor, config: Record<string, unknown>) => Tensor;

const num = (c: Record<string, unknown>, key: string, fallback: number): number =>
  typeof c[key] === "number" ? (c[key] as number) : fallback;

/** Keras's `squeeze_or_expand_to_same_rank`: ranks that differ by one meet at a trailing 1. */
export function sameRank(a: Tensor, b: Tensor): [Tensor, Tensor] {
  if (a.rank === b.rank + 1 && a.shape.at(-1) === 1)
    return b.rank === 1 ? [a, tf.expandDims(b, -1)] : [tf.squeeze(a, [-1]), b];
  if (b.rank === a.rank + 1 && b.shape.at(-1) === 1)
    return a.rank === 1 ? [tf.expandDims(a, -1), b] : [a, tf.squeeze(b, [-1])];
  return [a, b];
}

function sameShape(name: string, yTrue: Tensor, yPred: Tensor): void {
  if (yTrue.shape.length !== yPred.shape.length || yTrue.shape.some((d, i) => d !== yPred.shape[i])) {
    throw new ShapeError(
      `${name} needs targets of the model output's shape. Received: target.shape=(${yTrue.shape.join(", ")}), output.shape=(${yPred.shape.join(", ")})`,
    );
  }
}

const clipProb = (p: Tensor) => tf.clipByValue(p, EPSILON, 1 - EPSILON);
const hingeLabels = (y: Tensor) => {
  const binary = tf.tidy(() => tf.logicalOr(tf.equal(y, 0), tf.equal(y, 1)).all().dataSync()[0] === 1);
  return binary ? tf.sub(tf.mul(y, 2), 1) : y;
};

/** `ops.categorical_crossentropy` of the torch backend: log_softmax of logits, or normalized clipped probabilities. */
function categoricalLogProb(yPred: Tensor, fromLogits: boolean, axis: number): Tensor {
  if (fromLogits) return tf.logSoftmax(yPred, axis);
  return tf.log(clipProb(tf.div(yPred, tf.sum(yPred, axis, true))));
}

/** Keras 3's loss functions (keras/src/losses/losses.py), per sample, with the torch backend's numerics. */
export const LOSS_FUNCTIONS: Record<string, LossFn> = {
  mean_squared_error: (t, p) => tf.mean(tf.squaredDifference(...sameRank(t, p)), -1),
  mean_absolute_error: (t, p) => tf.mean(tf.abs(tf.sub(...sameRank(t, p))), -1),
  mean_absolute_percentage_error: (yt, yp) => {
    const [t, p] = sameRank(yt, yp);
    return tf.mul(tf.mean(tf.abs(tf.div(tf.sub(t, p), tf.maximum(tf.abs(t), EPSILON))), -1), 100);
  },
  mean_squared_logarithmic_error: (yt, yp) => {
    const [t, p] = sameRank(yt, yp);
    const log1 = (x: Tensor) => tf.log(tf.add(tf.maximum(x, EPSILON), 1));
    return tf.mean(tf.squaredDifference(log1(p), log1(t)), -1);
  },
  cosine_similarity: (yt, yp, c) => {
    const axis = num(c, "axis", -1);
    const unit = (x: Tensor) => tf.div(x, tf.sqrt(tf.maximum(tf.sum(tf.square(x), axis, true), 1e-12)));
    const [t, p] = sameRank(yt, yp);
    return tf.neg(tf.sum(tf.mul(unit(t), unit(p)), axis));
  },
  huber: (yt, yp, c) => {
    const delta = num(c, "delta", 1);
    const [t, p] = sameRank(yt, yp);
    const err = tf.sub(p, t);
    const abs = tf.abs(err);
    return tf.mean(
      tf.where(tf.lessEqual(abs, delta), tf.mul(tf.square(err), 0.5), tf.sub(tf.mul(abs, delta), 0.5 * delta * delta)),
      -1,
    );
  },
  log_cosh: (yt, yp) => {
    const [t, p] = sameRank(yt, yp);
    const x = tf.sub(p, t);
    return tf.mean(tf.sub(tf.add(x, tf.softplus(tf.mul(x, -2))), Math.log(2)), -1);
  },
  hinge: (t, p) => tf.mean(tf.relu(tf.sub(1, tf.mul(hingeLabels(t), p))), -1),
  squared_hinge: (t, p) => tf.mean(tf.square(tf.relu(tf.sub(1, tf.mul(hingeLabels(t), p)))), -1),
  categorical_hinge: (t, p) => {
    const pos = tf.sum(tf.mul(t, p), -1);
    const neg = tf.max(tf.mul(tf.sub(1, t), p), -1);
    return tf.relu(tf.add(tf.sub(neg, pos), 1));
  },
  kl_divergence: (yt, yp) => {
    const t = tf.clipByValue(yt, EPSILON, 1);
    const p = tf.clipByValue(yp, EPSILON, 1);
    return tf.sum(tf.mul(t, tf.log(tf.div(t, p))), -1);
  },
  poisson: (t, p) => tf.mean(tf.sub(p, tf.mul(t, tf.log(tf.add(p, EPSILON)))), -1),
  binary_crossentropy: (yt, yp, c) => {
    const smoothing = num(c, "label_smoothing", 0);
    const t = smoothing ? tf.add(tf.mul(yt, 1 - smoothing), 0.5 * smoothing) : yt;
    sameShape("binary_crossentropy", t, yp);
    let per: Tensor;
    if (c.from_logits === true) {
      per = tf.add(tf.sub(tf.relu(yp), tf.mul(yp, t)), tf.log1p(tf.exp(tf.neg(tf.abs(yp)))));
    } else {
      const p = clipProb(yp);
      per = tf.neg(tf.add(tf.mul(t, tf.log(p)), tf.mul(tf.sub(1, t), tf.log(tf.sub(1, p)))));
    }
    return tf.mean(per, num(c, "axis", -1));
  },
  categorical_crossentropy: (yt, yp, c) => {
    const axis = num(c, "axis", -1);
    const smoothing = num(c, "label_smoothing", 0);
    sameShape("categorical_crossentropy", yt, yp);
    const k = yp.shape.at(axis)!;
    const t = smoothing ? tf.add(tf.mul(yt, 1 - smoothing), smoothing / k) : yt;
    return tf.neg(tf.sum(tf.mul(t, categoricalLogProb(yp, c.from_logits === true, axis)), axis));
  },
  sparse_categorical_crossentropy: (yt, yp, c) => {
    let t = yt;
    if (t.rank === yp.rank && t.shape.at(-1) === 1) t = tf.squeeze(t, [-1]);
    const classes = yp.shape.at(-1)!;
    const want = yp.shape.slice(0, -1);
    if (t.shape.length !== want.length || t.shape.some((d, i) => d !== want[i])) {
      throw new ShapeError(
        `sparse_categorical_crossentropy needs integer targets shaped like the output without its class axis. ` +
          `Received: target.shape=(${yt.shape.join(", ")}), output.shape=(${yp.shape.join(", ")})`,
      );
    }
    const ignore = c.ignore_class;
    const labels = tf.cast(t, "int32");
    const valid = typeof ignore === "number" ? tf.notEqual(labels, ignore) : null;
    const oneHot = tf.oneHot(valid ? tf.where(valid, labels, tf.zerosLike(labels)) : labels, classes);
    const logits = valid ? tf.where(tf.expandDims(valid, -1), yp, tf.zerosLike(yp)) : yp;
    const losses = tf.neg(tf.sum(tf.mul(oneHot, categoricalLogProb(logits, c.from_logits === true, -1)), -1));
    if (!valid) return losses;
    // Keras masks the ignored entries, and its mean reduction then averages over the valid ones only.
    const scale = tf.divNoNan(tf.scalar(valid.size), tf.sum(tf.cast(valid, "float32")));
    return tf.where(valid, tf.mul(losses, scale), tf.zerosLike(losses));
  },
};
