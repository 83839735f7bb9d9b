import { computeLoss } from "../losses/index.js";
import { type tf as TF, tf } from "../runtime.js";
import type { Compiled } from "./compile.js";

/** A running mean weighted by batch size: Keras's `Mean` for the loss trackers. */
export class Mean {
  private total = 0;
  private count = 0;
  add(value: number, weight: number): void {
    this.total += value * weight;
    this.count += weight;
  }
  result(): number {
    return this.count === 0 ? 0 : this.total / this.count;
  }
  reset(): void {
    this.total = this.count = 0;
  }
}

/**
 * Keras's train_step / test_step on a tfjs-layers model: the forward pass (training or inference
 * mode), the compiled loss (each output's loss times its weight, plus the layers' regularization
 * penalties), the loss trackers (`loss`, and `<output>_loss` unweighted when several outputs have a
 * loss, each averaged by batch size), the metrics on the same predictions, and for training the
 * gradients, applied by the Keras optimizer after the metrics saw the batch.
 */
export class Stepper {
  readonly lossTracker = new Mean();
  readonly headTrackers: Mean[];
  private readonly variables: TF.Variable[];

  constructor(
    private readonly model: TF.LayersModel,
    private readonly compiled: Compiled,
  ) {
    this.headTrackers = compiled.heads.map(() => new Mean());
    this.variables = model.trainableWeights.map((w) => w.read() as TF.Variable);
    compiled.optimizer.build(
      this.variables.map((v) => v.shape),
      model.trainableWeights.map((w) => w.originalName.replace(/\//g, "_")),
    );
  }

  reset(): void {
    this.lossTracker.reset();
    this.headTrackers.forEach((t) => t.reset());
    for (const h of this.compiled.heads) h.metrics.forEach((m) => m.reset());
  }

  /** One gradient update on a batch; the trackers and metrics see its loss and predictions. */
  train(xs: TF.Tensor[], ys: TF.Tensor[]): void {
    let kept: TF.Tensor[] = [];
    const { value, grads } = tf.variableGrads(() => {
      const [total, preds, heads] = this.forward(xs, ys, true);
      kept = [...preds, ...heads].map((t) => tf.keep(t));
      return total as TF.Scalar;
    }, this.variables);
    const preds = kept.slice(0, ys.length);
    const heads = kept.slice(ys.length);
    this.record(value, heads, preds, ys, xs[0]!.shape[0]!);
    const params = this.variables.map((v) => v.dataSync() as Float32Array);
    const gradients = this.variables.map((v) => grads[v.name]!.dataSync() as Float32Array);
    this.compiled.optimizer.apply(params, gradients);
    this.variables.forEach((v, i) => {
      const updated = tf.tensor(params[i]!, v.shape, "float32");
      v.assign(updated);
      updated.dispose();
    });
    tf.dispose([value, ...kept, ...Object.values(grads)]);
  }

  /** A forward pass in inference mode; the trackers and metrics see its loss and predictions. */
  test(xs: TF.Tensor[], ys: TF.Tensor[]): void {
    tf.tidy(() => {
      const [total, preds, heads] = this.forward(xs, ys, false);
      this.record(total, heads, preds, ys, xs[0]!.shape[0]!);
    });
  }

  private forward(xs: TF.Tensor[], ys: TF.Tensor[], training: boolean): [TF.Tensor, TF.Tensor[], TF.Tensor[]] {
    const out = this.model.apply(xs.length === 1 ? xs[0]! : xs, { training }) as TF.Tensor | TF.Tensor[];
    const preds = Array.isArray(out) ? out : [out];
    const heads: TF.Tensor[] = [];
    let total: TF.Tensor | null = null;
    this.compiled.heads.forEach((h, i) => {
      if (!h.loss) return;
      const value = computeLoss(h.loss, ys[i]!, preds[i]!);
      heads.push(value);
      const weighted = h.weight === null ? value : tf.mul(value, h.weight);
      total = total ? tf.add(total, weighted) : weighted;
    });
    for (const penalty of this.model.calculateLosses()) total = tf.add(total!, penalty);
    return [total!, preds, heads];
  }

  private record(total: TF.Tensor, heads: TF.Tensor[], preds: TF.Tensor[], ys: TF.Tensor[], batch: number): void {
    this.lossTracker.add(total.dataSync()[0]!, batch);
    let k = 0;
    this.compiled.heads.forEach((h, i) => {
      if (h.loss) {
        const v = heads[k++]!.dataSync()[0]!;
        if (h.tracked) this.headTrackers[i]!.add(v, batch);
      }
      for (const m of h.metrics) {
        const values = tf.tidy(() => m.values(ys[i]!, preds[i]!));
        m.add(values.dataSync());
        values.dispose();
      }
    });
  }

  /** The logs Keras reports: `loss`, the metrics and the per-output losses, by sorted name. */
  logs(): Record<string, number> {
    const logs: Record<string, number> = { loss: this.lossTracker.result() };
    this.compiled.heads.forEach((h, i) => {
      for (const m of h.metrics) logs[m.name] = m.result();
      if (h.tracked) logs[`${h.name}_loss`] = this.headTrackers[i]!.result();
    });
    return Object.fromEntries(Object.entries(logs).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}
