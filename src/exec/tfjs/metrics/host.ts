/**
 * Per-sample values of the metrics most models report, computed on the host from predictions the loss
 * already read (see losses/host.ts for why): Keras's accuracies (first maximum wins, as argmax) and
 * the mean squared / absolute error, each averaged over the sample's rows or elements as Keras's
 * `reduce_to_samplewise_values` does. Null when the metric or its shapes need the tfjs op path.
 */
export type HostMetric = (yTrue: Float32Array, yPred: Float32Array, batch: number) => Float64Array;

const same = (a: number[], b: number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
const elementwise = (t: number[], p: number[]) => same(t, p) || same([...t, 1], p) || same(t, [...p, 1]);

function argmax(a: Float32Array, o: number, n: number): number {
  let best = 0;
  for (let k = 1; k < n; k++) if (a[o + k]! > a[o + best]!) best = k;
  return best;
}

/** Averages per-row (or per-element) values into per-sample values. */
function perSample(batch: number, count: number, value: (i: number) => number): Float64Array {
  const out = new Float64Array(batch);
  const per = count / batch;
  for (let s = 0; s < batch; s++) {
    let sum = 0;
    for (let i = s * per; i < (s + 1) * per; i++) sum += value(i);
    out[s] = sum / per;
  }
  return out;
}

export function hostMetric(
  kind: string,
  config: Record<string, unknown>,
  yTrue: number[],
  yPred: number[],
): HostMetric | null {
  const classes = yPred.at(-1) ?? 1;
  switch (kind) {
    case "sparse_categorical_accuracy":
      if (!(same(yTrue, yPred.slice(0, -1)) || same(yTrue, [...yPred.slice(0, -1), 1]))) return null;
      return (t, p, batch) =>
        perSample(batch, p.length / classes, (r) => (argmax(p, r * classes, classes) === t[r] ? 1 : 0));
    case "categorical_accuracy":
      if (!same(yTrue, yPred)) return null;
      return (t, p, batch) =>
        perSample(batch, p.length / classes, (r) =>
          argmax(p, r * classes, classes) === argmax(t, r * classes, classes) ? 1 : 0,
        );
    case "binary_accuracy": {
      if (!elementwise(yTrue, yPred)) return null;
      const threshold = typeof config.threshold === "number" ? config.threshold : 0.5;
      return (t, p, batch) => perSample(batch, p.length, (i) => (t[i] === (p[i]! > threshold ? 1 : 0) ? 1 : 0));
    }
    case "accuracy":
      return elementwise(yTrue, yPred)
        ? (t, p, batch) => perSample(batch, p.length, (i) => (t[i] === p[i] ? 1 : 0))
        : null;
    case "mean_squared_error":
      return elementwise(yTrue, yPred)
        ? (t, p, batch) => perSample(batch, p.length, (i) => (p[i]! - t[i]!) ** 2)
        : null;
    case "mean_absolute_error":
      return elementwise(yTrue, yPred)
        ? (t, p, batch) => perSample(batch, p.length, (i) => Math.abs(p[i]! - t[i]!))
        : null;
  }
  return null;
}
