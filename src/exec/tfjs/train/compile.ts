import { type Loss, type LossIdentifier, getLoss } from "../losses/index.js";
import { type Metric, type MetricIdentifier, getMetric } from "../metrics/index.js";
import { type KerasOptimizer, type OptimizerIdentifier, getOptimizer } from "../optimizers/index.js";
import { TrainingError } from "../errors.js";

/** Keras's `model.compile(optimizer, loss, metrics, loss_weights)`, with Keras's names and configs. */
export interface CompileArgs {
  /** A name ("rmsprop"), a serialized optimizer, or an optimizer; Keras's default is "rmsprop". */
  optimizer?: OptimizerIdentifier;
  /** One loss for every output, a list (output order) or a record by output layer name. */
  loss?: LossIdentifier | LossIdentifier[] | Record<string, LossIdentifier>;
  /** Metrics: a list (single output), one entry per output, or a record by output layer name. */
  metrics?: MetricsArg;
  /** A number (one output), a list, or a record by output layer name. */
  lossWeights?: number | (number | null)[] | Record<string, number>;
}

type MetricsEntry = MetricIdentifier | MetricIdentifier[] | null;
export type MetricsArg = MetricsEntry[] | Record<string, MetricsEntry>;

/** One model output as training sees it: its loss, the loss's weight, and its metrics. */
export interface Head {
  /** The output layer's name (Keras's `output_names`). */
  name: string;
  loss: Loss | null;
  weight: number | null;
  metrics: Metric[];
  /** Keras's `<output>_loss` tracker, kept when more than one output has a loss. */
  tracked: boolean;
}

export interface Compiled {
  optimizer: KerasOptimizer;
  heads: Head[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) && !("class_name" in v);

/**
 * Resolves compile arguments against the model's outputs the way Keras's CompileLoss / CompileMetrics
 * build on the first batch: `yTrueShapes` and `yPredShapes` (one batch's) decide "accuracy" and
 * "crossentropy". Errors name the argument and what was received.
 */
export function resolveCompile(
  args: CompileArgs,
  outputs: string[],
  yTrueShapes: number[][],
  yPredShapes: number[][],
): Compiled {
  const losses = perOutput("loss", args.loss ?? null, outputs, true);
  const weights = perOutput("lossWeights", args.lossWeights ?? null, outputs, false) as (number | null)[];
  const metricEntries = metricsPerOutput(args.metrics, outputs);
  const heads = outputs.map((name, i): Head => ({
    name,
    loss: getLoss(losses[i] as LossIdentifier, yTrueShapes[i]!, yPredShapes[i]!),
    weight: weights[i] ?? null,
    metrics: metricEntries[i]!.map((m) => getMetric(m, yTrueShapes[i]!, yPredShapes[i]!)),
    tracked: false,
  }));
  const withLoss = heads.filter((h) => h.loss);
  if (withLoss.length === 0) {
    throw new TrainingError(
      `No loss to compute. Provide a loss in compile(). Received: loss=${JSON.stringify(args.loss ?? null)}`,
    );
  }
  if (withLoss.length > 1) for (const h of withLoss) h.tracked = true;
  if (outputs.length > 1) for (const h of heads) for (const m of h.metrics) m.name = `${h.name}_${m.name}`;
  return { optimizer: getOptimizer(args.optimizer ?? "rmsprop"), heads };
}

/** A loss or loss-weight argument spread over the outputs: one value for all, a list, or a record by name. */
function perOutput(arg: string, value: unknown, outputs: string[], broadcast: boolean): unknown[] {
  if (Array.isArray(value)) {
    if (value.length !== outputs.length) {
      throw new TrainingError(
        `${arg} has ${value.length} entries but the model has ${outputs.length} output(s) (${outputs.join(", ")}). Received: ${arg}=${JSON.stringify(value)}`,
      );
    }
    return value;
  }
  if (isRecord(value)) {
    const unknown = Object.keys(value).filter((k) => !outputs.includes(k));
    const missing = arg === "loss" ? outputs.filter((o) => !(o in value)) : [];
    if (unknown.length || missing.length) {
      throw new TrainingError(
        `${arg} must be keyed by the model's output names ${JSON.stringify(outputs)}. Received: ${arg} keys ${JSON.stringify(Object.keys(value))}`,
      );
    }
    return outputs.map((o) => value[o] ?? null);
  }
  if (value === null || value === undefined) return outputs.map(() => null);
  if (!broadcast && outputs.length > 1) {
    throw new TrainingError(
      `${arg} must be a list or a record for a model with ${outputs.length} outputs. Received: ${arg}=${JSON.stringify(value)}`,
    );
  }
  return outputs.map(() => value);
}

/** `CompileMetrics._build_metrics_set`: all metrics to a single output; one entry per output otherwise. */
function metricsPerOutput(metrics: MetricsArg | undefined, outputs: string[]): MetricIdentifier[][] {
  const list = (m: MetricsEntry): MetricIdentifier[] => (m === null ? [] : Array.isArray(m) ? m : [m]);
  if (!metrics) return outputs.map(() => []);
  if (outputs.length === 1)
    return [Array.isArray(metrics) ? metrics.flatMap(list) : Object.values(metrics).flatMap(list)];
  if (Array.isArray(metrics) && metrics.length === outputs.length) return metrics.map(list);
  if (isRecord(metrics) && Object.keys(metrics).every((k) => outputs.includes(k))) {
    return outputs.map((o) => list((metrics as Record<string, MetricsEntry>)[o] ?? null));
  }
  throw new TrainingError(
    `metrics for a model with ${outputs.length} outputs must be a list with one entry per output or a record by output name ` +
      `${JSON.stringify(outputs)}. Received: metrics=${JSON.stringify(metrics)}`,
  );
}
