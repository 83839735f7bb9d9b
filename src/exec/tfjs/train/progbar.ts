import type { Callback, Logs } from "./callbacks.js";

/** Where the progress goes: a writable with `isTTY` (process.stdout) or anything with `write`. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/**
 * Keras's ProgbarLogger and Progbar: `Epoch 1/3`, then with verbose 1 a bar redrawn in place (at most
 * every 50 ms) that ends as `16/16 ━━━━━━━━━━━━━━━━━━━━ 1s 10ms/step - accuracy: 0.1084 - loss: 2.3423 -
 * val_accuracy: ...`, or with verbose 2 one line per epoch, `16/16 - 1s - 10ms/step - ...`. Values show
 * with 4 decimals (4-digit exponent notation below 1e-3), as Keras prints them.
 */
export class ProgressLogger implements Callback {
  private start = 0;
  private afterFirst: number | null = null;
  private lastUpdate = 0;
  private prevWidth = 0;

  constructor(
    private readonly out: ProgressStream,
    private readonly verbose: 1 | 2,
    private readonly epochs: number,
    private readonly steps: number,
  ) {}

  onEpochBegin(epoch: number): void {
    this.start = performance.now();
    this.afterFirst = null;
    this.lastUpdate = 0;
    this.prevWidth = 0;
    if (this.epochs > 1) this.out.write(`Epoch ${epoch + 1}/${this.epochs}\n`);
  }

  onTrainBatchEnd(batch: number, logs: Logs): void {
    this.update(batch + 1, logs, false);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    this.update(this.steps, logs, true);
  }

  private update(current: number, logs: Logs, finalize: boolean): void {
    const now = performance.now();
    const perStep = this.stepSeconds(current, now);
    if (this.verbose === 2) {
      if (!finalize) return;
      const count = `${String(current).padStart(digits(this.steps))}/${this.steps}`;
      this.out.write(
        `${count} - ${Math.round((now - this.start) / 1000)}s -${formatTime(perStep)}${formatLogs(logs)}\n`,
      );
      return;
    }
    if (!finalize && now - this.lastUpdate < 50) return;
    this.lastUpdate = now;
    const width = 20;
    const filled = Math.floor((width * current) / this.steps);
    const count = `${String(current).padStart(digits(this.steps))}/${this.steps}`;
    const tty = this.out.isTTY === true;
    const bar = tty
      ? `\x1b[1m${count}\x1b[0m ${filled > 0 ? `\x1b[32m${"━".repeat(filled)}\x1b[0m` : ""}\x1b[37m${"━".repeat(width - filled)}\x1b[0m`
      : `${count} ${"━".repeat(width)}`;
    const time = finalize ? `${Math.round((now - this.start) / 1000)}s` : eta(perStep * (this.steps - current));
    const rest = `${formatTime(perStep)}${formatLogs(logs)}`;
    const info = ` ${tty ? `\x1b[1m${time}\x1b[0m` : time}${rest}`;
    const plainWidth = count.length + 1 + width + 1 + time.length + rest.length;
    if (!tty) {
      if (finalize) this.out.write(`${bar}${info}\n`);
      return;
    }
    const pad = this.prevWidth > plainWidth ? " ".repeat(this.prevWidth - plainWidth) : "";
    this.prevWidth = plainWidth;
    this.out.write(`\r${bar}${info}${pad}${finalize ? "\n" : ""}`);
  }

  /** Keras's `_estimate_step_duration`: the first step (compilation, warm-up) is left out once there are more. */
  private stepSeconds(current: number, now: number): number {
    if (!current) return 0;
    const perStep =
      this.afterFirst !== null && current > 1 ? (now - this.afterFirst) / (current - 1) : (now - this.start) / current;
    if (current === 1) this.afterFirst = now;
    return perStep / 1000;
  }
}

function digits(n: number): number {
  return Math.floor(Math.log10(Math.max(1, n))) + 1;
}

function eta(seconds: number): string {
  if (seconds > 3600)
    return `${Math.floor(seconds / 3600)}:${pad2(Math.floor((seconds % 3600) / 60))}:${pad2(Math.floor(seconds % 60))}`;
  if (seconds > 60) return `${Math.floor(seconds / 60)}:${pad2(Math.floor(seconds % 60))}`;
  return `${Math.floor(seconds)}s`;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** Keras's `_format_time`: ` 2s/step`, ` 10ms/step` or ` 800us/step`. */
export function formatTime(seconds: number): string {
  if (seconds >= 1 || seconds === 0) return ` ${seconds.toFixed(0)}s/step`;
  if (seconds >= 1e-3) return ` ${(seconds * 1000).toFixed(0)}ms/step`;
  return ` ${(seconds * 1e6).toFixed(0)}us/step`;
}

/** ` - accuracy: 0.1084 - loss: 2.3423`: 4 decimals, or Python's `.4e` below 1e-3. */
export function formatLogs(logs: Logs): string {
  return Object.entries(logs)
    .map(([k, v]) => ` - ${k}: ${Math.abs(v) > 1e-3 ? v.toFixed(4) : pythonExp(v)}`)
    .join("");
}

/** Python's `f"{v:.4e}"`: two-digit exponents with a sign (`1.2346e-05`). */
function pythonExp(v: number): string {
  const [mantissa, exp] = v.toExponential(4).split("e");
  const e = Number(exp);
  return `${mantissa}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
}
