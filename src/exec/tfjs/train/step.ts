import { type HostLoss, hostLoss } from "../losses/host.js";
import { computeLoss } from "../losses/index.js";
import { type HostMetric, hostMetric } from "../metrics/host.js";
import { type tf as TF, tf } from "../runtime.js";
import type { Compiled } from "./compile.js";

/**
 * A float32 tensor's values without a copy where the backend allows (wasm: a view of its memory, valid
 * until the next allocation there), else `dataSync()`.
 */
function readInPlace(t: TF.Tensor): Float32Array {
  const backend = tf.backend() as {
    typedArrayFromHeap?: (t: { dataId: object; shape: number[]; dtype: string }) => Float32Array;
  };
  return backend.typedArrayFromHeap && t.dtype === "float32"
    ? backend.typedArrayFromHeap(t)
    : (t.dataSync() as Float32Array);
}

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

/** One batch of one output's targets, on the host (float32, batch dimension first). */
export interface Targets {
  data: Float32Array;
  shape: number[];
}

/** How one output's loss and metrics are computed: on the host where losses/host.ts can, else with tfjs ops. */
interface HeadPlan {
  loss: HostLoss | null;
  metrics: (HostMetric | null)[];
}

/** What a forward pass leaves for the trackers: the total, each output's loss, the predictions. */
interface Forward {
  total: TF.Tensor;
  losses: (number | TF.Tensor | null)[];
  preds: TF.Tensor[];
  /** Predictions already read to the host (by a host loss), by output. */
  read: (Float32Array | undefined)[];
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
  private readonly host: Float32Array[] = [];
  private readonly hostIds: object[] = [];
  private readonly plans = new Map<string, HeadPlan>();

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

  /** Output `i`'s plan for targets and predictions of these batch shapes (cached by per-sample shapes). */
  private plan(i: number, yTrue: number[], yPred: number[]): HeadPlan {
    const key = JSON.stringify([i, yTrue.slice(1), yPred.slice(1)]);
    let plan = this.plans.get(key);
    if (!plan) {
      const h = this.compiled.heads[i]!;
      const [t, p] = [yTrue.slice(1), yPred.slice(1)];
      plan = {
        loss: h.loss ? hostLoss(h.loss, t, p) : null,
        metrics: h.metrics.map((m) => hostMetric(m.kind, m.config, t, p)),
      };
      this.plans.set(key, plan);
    }
    return plan;
  }

  reset(): void {
    this.lossTracker.reset();
    this.headTrackers.forEach((t) => t.reset());
    for (const h of this.compiled.heads) h.metrics.forEach((m) => m.reset());
  }

  /** One gradient update on a batch; the trackers and metrics see its loss and predictions. */
  train(xs: TF.Tensor[], ys: Targets[]): void {
    if (this.variables.length === 0) {
      // Keras warns that the model has no trainable weights and only reports the loss and metrics.
      tf.tidy(() => this.record(this.forward(xs, ys, true), ys, xs[0]!.shape[0]!));
      return;
    }
    let pass: Forward | null = null;
    const { value, grads } = tf.variableGrads(() => {
      pass = this.forward(xs, ys, true);
      for (const t of [...pass.preds, ...pass.losses]) if (t instanceof tf.Tensor) tf.keep(t);
      return pass.total as TF.Scalar;
    }, this.variables);
    const done = pass! as Forward;
    this.record({ ...done, total: value }, ys, xs[0]!.shape[0]!);
    const params = this.variables.map((v, i) => this.hostValues(v, i));
    const gradients = this.variables.map((v) => readInPlace(grads[v.name]!));
    // The gradients may be views of wasm memory: the optimizer reads them before anything allocates there.
    this.compiled.optimizer.apply(params, gradients);
    this.variables.forEach((v, i) => {
      const updated = tf.tensor(params[i]!, v.shape, "float32");
      v.assign(updated);
      updated.dispose();
      this.hostIds[i] = v.dataId;
    });
    tf.dispose([
      value,
      ...done.preds,
      ...done.losses.filter((t): t is TF.Tensor => t instanceof tf.Tensor),
      ...Object.values(grads),
    ]);
  }

  /** A forward pass in inference mode; the trackers and metrics see its loss and predictions. */
  test(xs: TF.Tensor[], ys: Targets[]): void {
    tf.tidy(() => this.record(this.forward(xs, ys, false), ys, xs[0]!.shape[0]!));
  }

  /**
   * A variable's values on the host: the copy the optimizer updated last step, unless the variable was
   * assigned since (its data changed), when they are read back.
   */
  private hostValues(v: TF.Variable, i: number): Float32Array {
    if (this.hostIds[i] !== v.dataId || !this.host[i]) {
      const values = v.dataSync() as Float32Array;
      const buffer = this.compiled.optimizer.weightBuffer(i);
      this.host[i] = buffer ? (buffer.set(values), buffer) : values.slice();
    }
    return this.host[i]!;
  }

  private forward(xs: TF.Tensor[], ys: Targets[], training: boolean): Forward {
    const out = this.model.apply(xs.length === 1 ? xs[0]! : xs, { training }) as TF.Tensor | TF.Tensor[];
    const preds = Array.isArray(out) ? out : [out];
    const losses: (number | TF.Tensor | null)[] = [];
    const read: (Float32Array | undefined)[] = [];
    let total: TF.Tensor | null = null;
    this.compiled.heads.forEach((h, i) => {
      losses[i] = null;
      if (!h.loss) return;
      const host = this.plan(i, ys[i]!.shape, preds[i]!.shape).loss;
      let value: TF.Tensor;
      if (host) {
        // The loss on the host; its gradient goes back into tfjs's tape through customGrad.
        const withGrad = (pred: TF.Tensor) => {
          const p = pred.dataSync() as Float32Array;
          const { mean, grad } = host(ys[i]!.data, p);
          read[i] = p;
          losses[i] = mean;
          return { value: tf.scalar(mean), gradFunc: (dy: TF.Tensor) => tf.mul(dy, tf.tensor(grad, pred.shape)) };
        };
        value = tf.customGrad(withGrad as Parameters<typeof tf.customGrad>[0])(preds[i]!);
      } else {
        value = computeLoss(h.loss, tf.tensor(ys[i]!.data, ys[i]!.shape), preds[i]!);
        losses[i] = value;
      }
      const weighted = h.weight === null ? value : tf.mul(value, h.weight);
      total = total ? tf.add(total, weighted) : weighted;
    });
    for (const penalty of this.model.calculateLosses()) total = tf.add(total!, penalty);
    return { total: total!, losses, preds, read };
  }

  private record(pass: Forward, ys: Targets[], batch: number): void {
    this.lossTracker.add(pass.total.dataSync()[0]!, batch);
    this.compiled.heads.forEach((h, i) => {
      const loss = pass.losses[i];
      if (h.tracked && loss !== null && loss !== undefined) {
        this.headTrackers[i]!.add(typeof loss === "number" ? loss : loss.dataSync()[0]!, batch);
      }
      h.metrics.forEach((m, k) => {
        const host = this.plan(i, ys[i]!.shape, pass.preds[i]!.shape).metrics[k];
        if (host) {
          pass.read[i] ??= pass.preds[i]!.dataSync() as Float32Array;
          m.add(host(ys[i]!.data, pass.read[i]!, batch));
          return;
        }
        const values = tf.tidy(() => m.values(tf.tensor(ys[i]!.data, ys[i]!.shape), pass.preds[i]!));
        m.add(values.dataSync());
        values.dispose();
      });
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
