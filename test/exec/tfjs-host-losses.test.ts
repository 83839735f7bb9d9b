/**
 * The host forms of the common losses and metrics (src/exec/tfjs/{losses,metrics}/host.ts) give the
 * values of the tfjs-op forms (losses/functions.ts, metrics/functions.ts, which follow Keras's torch
 * backend) and the gradients tfjs's autodiff computes from those, for every configuration they accept.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { hostLoss } from "../../src/exec/tfjs/losses/host.js";
import { computeLoss, getLoss } from "../../src/exec/tfjs/losses/index.js";
import { hostMetric } from "../../src/exec/tfjs/metrics/host.js";
import { getMetric } from "../../src/exec/tfjs/metrics/index.js";
import { tf, useTfjsBackend } from "../../src/exec/tfjs/runtime.js";

beforeAll(() => useTfjsBackend("cpu"));

function random(n: number, seed: number, map: (u: number) => number = (u) => u): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => map((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32));
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const probabilities = (n: number, k: number, seed: number) => {
  const p = random(n * k, seed, (u) => u + 0.05);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += p[r * k + j]!;
    for (let j = 0; j < k; j++) p[r * k + j] = p[r * k + j]! / s;
  }
  return p;
};

interface LossCase {
  name: string;
  loss: Parameters<typeof getLoss>[0];
  yTrue: { shape: number[]; data: Float32Array };
  yPred: { shape: number[]; data: Float32Array };
}

const labels = (n: number, k: number, seed: number) => random(n, seed, (u) => Math.floor(u * k));
const oneHot = (l: Float32Array, k: number) => {
  const out = new Float32Array(l.length * k);
  l.forEach((c, i) => (out[i * k + c] = 1));
  return out;
};
const logits = (n: number, seed: number) => random(n, seed, (u) => 6 * u - 3);

const CASES: LossCase[] = [
  {
    name: "sparse CE from logits",
    loss: { class_name: "SparseCategoricalCrossentropy", config: { from_logits: true } },
    yTrue: { shape: [8], data: labels(8, 5, 1) },
    yPred: { shape: [8, 5], data: logits(40, 2) },
  },
  {
    name: "sparse CE, labels (n, 1)",
    loss: { class_name: "SparseCategoricalCrossentropy", config: { from_logits: true } },
    yTrue: { shape: [8, 1], data: labels(8, 5, 3) },
    yPred: { shape: [8, 5], data: logits(40, 4) },
  },
  {
    name: "sparse CE of probabilities",
    loss: "sparse_categorical_crossentropy",
    yTrue: { shape: [8], data: labels(8, 5, 5) },
    yPred: { shape: [8, 5], data: probabilities(8, 5, 6) },
  },
  {
    name: "sparse CE over a sequence",
    loss: { class_name: "SparseCategoricalCrossentropy", config: { from_logits: true } },
    yTrue: { shape: [4, 3], data: labels(12, 6, 7) },
    yPred: { shape: [4, 3, 6], data: logits(72, 8) },
  },
  {
    name: "categorical CE from logits, smoothed",
    loss: { class_name: "CategoricalCrossentropy", config: { from_logits: true, label_smoothing: 0.1 } },
    yTrue: { shape: [8, 4], data: oneHot(labels(8, 4, 9), 4) },
    yPred: { shape: [8, 4], data: logits(32, 10) },
  },
  {
    name: "categorical CE of probabilities",
    loss: "categorical_crossentropy",
    yTrue: { shape: [8, 4], data: oneHot(labels(8, 4, 11), 4) },
    yPred: { shape: [8, 4], data: probabilities(8, 4, 12) },
  },
  {
    name: "binary CE from logits",
    loss: { class_name: "BinaryCrossentropy", config: { from_logits: true } },
    yTrue: { shape: [8, 1], data: random(8, 13, Math.round) },
    yPred: { shape: [8, 1], data: logits(8, 14) },
  },
  {
    name: "binary CE of probabilities, smoothed",
    loss: { class_name: "BinaryCrossentropy", config: { label_smoothing: 0.2 } },
    yTrue: { shape: [8, 3], data: random(24, 15, Math.round) },
    yPred: { shape: [8, 3], data: random(24, 16, (u) => 0.02 + 0.96 * u) },
  },
  {
    name: "binary CE, targets (n,) for outputs (n, 1)",
    loss: "binary_crossentropy",
    yTrue: { shape: [8], data: random(8, 17, Math.round) },
    yPred: { shape: [8, 1], data: random(8, 18, (u) => 0.05 + 0.9 * u) },
  },
  {
    name: "mse",
    loss: "mse",
    yTrue: { shape: [8, 3], data: random(24, 19) },
    yPred: { shape: [8, 3], data: random(24, 20) },
  },
  {
    name: "mae",
    loss: "mean_absolute_error",
    yTrue: { shape: [8, 3], data: random(24, 21) },
    yPred: { shape: [8, 3], data: random(24, 22) },
  },
];

describe("host losses", () => {
  it.for(CASES)("$name: value and gradient of the tfjs-op form", ({ loss, yTrue, yPred }) => {
    const resolved = getLoss(loss, yTrue.shape, yPred.shape)!;
    const host = hostLoss(resolved, yTrue.shape.slice(1), yPred.shape.slice(1));
    expect(host).not.toBeNull();
    const { mean, grad } = host!(yTrue.data, yPred.data);
    const t = tf.tensor(yTrue.data, yTrue.shape);
    const p = tf.tensor(yPred.data, yPred.shape);
    const value = computeLoss(resolved, t, p).dataSync()[0]!;
    const reference = tf
      .grad((x: ReturnType<typeof tf.tensor>) => computeLoss(resolved, t, x))(p)
      .dataSync();
    expect(mean).toBeCloseTo(value, 5);
    for (let i = 0; i < grad.length; i++) expect(grad[i]).toBeCloseTo(reference[i]!, 6);
    expect(grad.length).toBe(size(yPred.shape));
  });

  it("leave the general path to losses and shapes they do not cover", () => {
    const ignore = getLoss({ class_name: "SparseCategoricalCrossentropy", config: { ignore_class: 0 } }, [8], [8, 5])!;
    expect(hostLoss(ignore, [], [5])).toBeNull();
    expect(hostLoss(getLoss("huber", [8, 3], [8, 3])!, [3], [3])).toBeNull();
    expect(hostLoss(getLoss("mse", [8, 1], [8, 3])!, [1], [3])).toBeNull(); // broadcasting
    expect(
      hostLoss(getLoss({ class_name: "MeanSquaredError", config: { reduction: "sum" } }, [8], [8])!, [], []),
    ).toBeNull();
  });
});

describe("host metrics", () => {
  const cases: [string, number[], Float32Array, number[], Float32Array][] = [
    ["accuracy", [8], labels(8, 5, 31), [8, 5], logits(40, 32)],
    ["accuracy", [8, 4], oneHot(labels(8, 4, 33), 4), [8, 4], logits(32, 34)],
    ["accuracy", [8, 1], random(8, 35, Math.round), [8, 1], random(8, 36)],
    ["sparse_categorical_accuracy", [4, 3], labels(12, 6, 37), [4, 3, 6], logits(72, 38)],
    ["mse", [8, 3], random(24, 39), [8, 3], random(24, 40)],
    ["mae", [8, 3], random(24, 41), [8, 3], random(24, 42)],
  ];
  it.for(cases)("%s on targets %j: the tfjs-op form's per-sample values", ([name, ts, t, ps, p]) => {
    const metric = getMetric(name, ts, ps);
    const host = hostMetric(metric.kind, metric.config, ts.slice(1), ps.slice(1));
    expect(host).not.toBeNull();
    const got = host!(t, p, ts[0]!);
    const want = metric.values(tf.tensor(t, ts), tf.tensor(p, ps)).dataSync();
    expect(Array.from(got).map((v) => +v.toFixed(6))).toEqual(Array.from(want).map((v) => +v.toFixed(6)));
  });
});
