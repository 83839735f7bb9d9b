import { TrainingError } from "../errors.js";

/**
 * A learning rate: a number, or one of Keras's `LearningRateSchedule`s as it serializes them
 * (`{"class_name": "ExponentialDecay", "config": {...}}`), evaluated at the optimizer's iteration.
 */
export type LearningRate =
  number | { className: string; config: Record<string, unknown>; at: (step: number) => number };

type Schedule = (
  c: (key: string, fallback?: number) => number,
  raw: Record<string, unknown>,
) => (step: number) => number;

/** Keras's schedules (keras/src/optimizers/schedules/learning_rate_schedule.py), formula for formula. */
const SCHEDULES: Record<string, Schedule> = {
  ExponentialDecay: (c, raw) => (step) => {
    const p = step / c("decay_steps");
    return c("initial_learning_rate") * c("decay_rate") ** (raw.staircase ? Math.floor(p) : p);
  },
  InverseTimeDecay: (c, raw) => (step) => {
    const p = step / c("decay_steps");
    return c("initial_learning_rate") / (1 + c("decay_rate") * (raw.staircase ? Math.floor(p) : p));
  },
  PiecewiseConstantDecay: (_c, raw) => {
    const bounds = raw.boundaries as number[];
    const values = raw.values as number[];
    if (!Array.isArray(bounds) || !Array.isArray(values) || bounds.length !== values.length - 1) {
      throw new TrainingError(
        `PiecewiseConstantDecay needs one more value than boundaries. Received: boundaries=${JSON.stringify(bounds)}, values=${JSON.stringify(values)}`,
      );
    }
    return (step) => {
      const i = bounds.findIndex((b) => step <= b);
      return values[i === -1 ? values.length - 1 : i]!;
    };
  },
  CosineDecay: (c, raw) => (step) => {
    const decaySteps = c("decay_steps");
    const alpha = c("alpha", 0);
    const decay = (s: number, from: number) =>
      from * ((1 - alpha) * 0.5 * (1 + Math.cos((Math.PI * s) / decaySteps)) + alpha);
    const initial = c("initial_learning_rate");
    if (raw.warmup_target == null) return decay(Math.min(step, decaySteps), initial);
    const warmup = c("warmup_steps", 0);
    const target = c("warmup_target");
    const s = Math.min(step, decaySteps + warmup);
    return s < warmup ? ((target - initial) * s) / warmup + initial : decay(s - warmup, target);
  },
};

/** Reads `learning_rate` from an optimizer config: a number or a serialized schedule. */
export function readLearningRate(value: unknown, owner: string): LearningRate {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  const record = value as { class_name?: unknown; config?: unknown } | null;
  const className = typeof record?.class_name === "string" ? record.class_name : null;
  const make = className ? SCHEDULES[className] : undefined;
  if (!make || typeof record!.config !== "object" || record!.config === null) {
    throw new TrainingError(
      `${owner}: learning_rate must be a number or one of the schedules ${Object.keys(SCHEDULES).join(", ")}. ` +
        `Received: learning_rate=${JSON.stringify(value)}`,
    );
  }
  const config = record!.config as Record<string, unknown>;
  const c = (key: string, fallback?: number): number => {
    const v = config[key] ?? fallback;
    if (typeof v !== "number")
      throw new TrainingError(`${className} needs a number ${key}. Received: ${key}=${JSON.stringify(v ?? null)}`);
    return v;
  };
  return { className: className!, config, at: make(c, config) };
}

export function learningRateAt(lr: LearningRate, step: number): number {
  return typeof lr === "number" ? lr : lr.at(step);
}
