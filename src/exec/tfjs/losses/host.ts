import { EPSILON } from "./functions.js";
import type { Loss } from "./index.js";

/**
 * A loss computed on the host: the mean over the batch (Keras's `sum_over_batch_size`) and its
 * gradient with respect to every prediction, from flat targets and predictions.
 */
export type HostLoss = (yTrue: Float32Array, yPred: Float32Array) => { mean: number; grad: Float32Array };

const same = (a: number[], b: number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
/** Keras's rank matching: equal shapes, or one side with an extra trailing 1. */
const elementwise = (t: number[], p: number[]) => same(t, p) || same([...t, 1], p) || same(t, [...p, 1]);

/**
 * The host form of the classification and regression losses most models train with, for targets and
 * predictions of these per-sample shapes; null when the loss or its shapes need the general (tfjs op)
 * path: other losses, other reductions, `ignore_class`, an axis other than the last, broadcasting.
 *
 * Why: a training step on the MLP of the benchmark is ~90 tfjs kernel calls, a third of them for the
 * loss, its gradient and the metrics, each paying tfjs's per-call overhead on a 64×10 tensor. Here the
 * predictions are read once, the loss and `d loss / d predictions` computed in float64 (the torch
 * backend's formulas: log-softmax of logits; clipped, normalized probabilities), and the gradient handed
 * back to tfjs's tape, which carries it through the model.
 */
export function hostLoss(loss: Loss, yTrue: number[], yPred: number[]): HostLoss | null {
  const c = loss.config;
  if (loss.reduction === "sum") return null;
  if (c.axis !== undefined && c.axis !== -1 && c.axis !== yPred.length) return null;
  const smoothing = typeof c.label_smoothing === "number" ? c.label_smoothing : 0;
  const logits = c.from_logits === true;
  const classes = yPred.at(-1) ?? 1;
  switch (loss.kind) {
    case "sparse_categorical_crossentropy": {
      if (c.ignore_class !== undefined && c.ignore_class !== null) return null;
      if (!(same(yTrue, yPred.slice(0, -1)) || same(yTrue, [...yPred.slice(0, -1), 1]))) return null;
      return rows(classes, logits, (_t, row) => (_t[row] ?? 0) | 0, null);
    }
    case "categorical_crossentropy":
      if (!same(yTrue, yPred)) return null;
      return rows(classes, logits, null, smoothing);
    case "binary_crossentropy":
      return elementwise(yTrue, yPred) ? binary(logits, smoothing) : null;
    case "mean_squared_error":
      return elementwise(yTrue, yPred)
        ? pointwise(
            (d) => d * d,
            (d) => 2 * d,
          )
        : null;
    case "mean_absolute_error":
      return elementwise(yTrue, yPred) ? pointwise(Math.abs, Math.sign) : null;
  }
  return null;
}

/**
 * Crossentropy over the last axis: row r's loss is `-Σ y_k log q_k`, q the softmax of logits or the
 * probabilities normalized to sum 1 and clipped to [ε, 1-ε]; the mean over rows.
 */
function rows(
  classes: number,
  logits: boolean,
  label: ((t: Float32Array, row: number) => number) | null,
  smoothing: number | null,
): HostLoss {
  return (t, p) => {
    const n = p.length / classes;
    const grad = new Float32Array(p.length);
    const target = new Float64Array(classes);
    let total = 0;
    for (let r = 0; r < n; r++) {
      const o = r * classes;
      if (label) {
        target.fill(0);
        target[label(t, r)] = 1;
      } else
        for (let k = 0; k < classes; k++)
          target[k] = smoothing ? t[o + k]! * (1 - smoothing) + smoothing / classes : t[o + k]!;
      let mass = 0;
      for (let k = 0; k < classes; k++) mass += target[k]!;
      if (logits) {
        let max = -Infinity;
        for (let k = 0; k < classes; k++) max = Math.max(max, p[o + k]!);
        let sum = 0;
        for (let k = 0; k < classes; k++) sum += Math.exp(p[o + k]! - max);
        const lse = max + Math.log(sum);
        for (let k = 0; k < classes; k++) {
          total -= target[k]! * (p[o + k]! - lse);
          grad[o + k] = (mass * Math.exp(p[o + k]! - lse) - target[k]!) / n;
        }
      } else {
        let s = 0;
        for (let k = 0; k < classes; k++) s += p[o + k]!;
        // d(-Σ y_k log(p_k / s))/dp_j = -y_j / p_j + Σ_k y_k / s, where q_j is not clipped (clipping stops the gradient).
        let through = 0;
        for (let k = 0; k < classes; k++) {
          const q = p[o + k]! / s;
          const clipped = q < EPSILON || q > 1 - EPSILON;
          total -= target[k]! * Math.log(Math.min(Math.max(q, EPSILON), 1 - EPSILON));
          if (!clipped) through += target[k]! / s;
        }
        for (let k = 0; k < classes; k++) {
          const q = p[o + k]! / s;
          const own = q < EPSILON || q > 1 - EPSILON ? 0 : target[k]! / p[o + k]!;
          grad[o + k] = (through - own) / n;
        }
      }
    }
    return { mean: total / n, grad };
  };
}

/** Binary crossentropy per element (from logits: `max(z,0) - zy + log1p(e^-|z|)`), averaged over all. */
function binary(logits: boolean, smoothing: number): HostLoss {
  return (t, p) => {
    const grad = new Float32Array(p.length);
    let total = 0;
    for (let i = 0; i < p.length; i++) {
      const y = smoothing ? t[i]! * (1 - smoothing) + 0.5 * smoothing : t[i]!;
      const z = p[i]!;
      if (logits) {
        total += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
        grad[i] = (1 / (1 + Math.exp(-z)) - y) / p.length;
      } else {
        const c = Math.min(Math.max(z, EPSILON), 1 - EPSILON);
        total -= y * Math.log(c) + (1 - y) * Math.log(1 - c);
        grad[i] = z < EPSILON || z > 1 - EPSILON ? 0 : (-y / c + (1 - y) / (1 - c)) / p.length;
      }
    }
    return { mean: total / p.length, grad };
  };
}

/** A loss of the difference `y_pred - y_true`, per element, averaged over all. */
function pointwise(value: (d: number) => number, slope: (d: number) => number): HostLoss {
  return (t, p) => {
    const grad = new Float32Array(p.length);
    let total = 0;
    for (let i = 0; i < p.length; i++) {
      const d = p[i]! - t[i]!;
      total += value(d);
      grad[i] = slope(d) / p.length;
    }
    return { mean: total / p.length, grad };
  };
}
