/** Logs as Keras passes them to callbacks: metric name → value, by sorted name. */
export type Logs = Record<string, number>;

/**
 * Keras's callback hooks (camelCase). Each may return a promise, which training awaits. Set the
 * model's `stopTraining` to end training after the current batch's epoch, as Keras's
 * `model.stop_training`.
 */
export interface Callback {
  onTrainBegin?(): void | Promise<void>;
  onTrainEnd?(logs: Logs): void | Promise<void>;
  onEpochBegin?(epoch: number): void | Promise<void>;
  onEpochEnd?(epoch: number, logs: Logs): void | Promise<void>;
  onTrainBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
  onTestBatchEnd?(batch: number, logs: Logs): void | Promise<void>;
}

/** Keras's `History`: every epoch's logs, by key, and the epoch numbers. */
export class History implements Callback {
  readonly history: Record<string, number[]> = {};
  readonly epoch: number[] = [];
  onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [k, v] of Object.entries(logs)) (this.history[k] ??= []).push(v);
  }
}

/** Whether any callback has a per-batch hook (so the trainer only builds per-batch logs when asked). */
export function wantsBatchLogs(callbacks: Callback[], kind: "train" | "test"): boolean {
  return callbacks.some((c) => (kind === "train" ? c.onTrainBatchEnd : c.onTestBatchEnd));
}
