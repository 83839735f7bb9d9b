import { tf } from "../runtime.js";
import { type Callback, History, type Logs, wantsBatchLogs } from "./callbacks.js";
import { type Column, batchTargets, sliceColumn } from "./data.js";
import { InputBatches } from "./resident.js";
import { type ProgressStream, ProgressLogger } from "./progbar.js";
import type { Stepper } from "./step.js";

/** Keras's `fit` arguments that kerasgraph's trainer takes (camelCase). */
export interface FitArgs {
  /** Samples per gradient update (default 32). */
  batchSize?: number;
  /** Epochs to train (default 1). */
  epochs?: number;
  /** The last fraction of the samples (before shuffling) to validate on at each epoch's end. */
  validationSplit?: number;
  /** Shuffle the training samples before each epoch (default true). */
  shuffle?: boolean;
  /** Seed of the shuffling order (default: a fixed seed, so runs repeat). */
  seed?: number;
  callbacks?: Callback[];
  /** 0: silent; 1: a progress bar (redrawn in place on a TTY); 2: one line per epoch; "auto" (default): 1. */
  verbose?: 0 | 1 | 2 | "auto";
  /** Where the progress goes (default process.stdout). */
  progress?: ProgressStream;
}

/** The model being trained: callbacks set `stopTraining` to end training after the current epoch. */
export interface StopFlag {
  stopTraining: boolean;
}

/** Splits samples into batches `[start, end)`; the last one holds the remainder, as Keras's. */
export function batchBounds(n: number, batchSize: number): [number, number][] {
  const out: [number, number][] = [];
  for (let s = 0; s < n; s += batchSize) out.push([s, Math.min(n, s + batchSize)]);
  return out;
}

/**
 * Keras's `fit` loop: per epoch, reset the metrics, run every batch's train step (in order, or shuffled),
 * then evaluate the validation samples and report `val_`-prefixed logs; callbacks and History see the
 * epoch's logs. `stopTraining` ends the epoch after the current batch and training after the epoch,
 * as in Keras. Yields to the event loop every 100 ms so that signals and timers keep working.
 */
export async function fitLoop(
  stepper: Stepper,
  model: StopFlag,
  train: { x: Column[]; y: Column[]; n: number },
  val: { x: Column[]; y: Column[]; n: number } | null,
  args: FitArgs,
): Promise<History> {
  const batchSize = args.batchSize ?? 32;
  const epochs = args.epochs ?? 1;
  const bounds = batchBounds(train.n, batchSize);
  const history = new History();
  const verbose = args.verbose === "auto" || args.verbose === undefined ? 1 : args.verbose;
  const callbacks: Callback[] = [...(args.callbacks ?? []), history];
  if (verbose) callbacks.push(new ProgressLogger(args.progress ?? process.stdout, verbose, epochs, bounds.length));
  const batchLogs = wantsBatchLogs(callbacks, "train");
  const random = mulberry32(args.seed ?? 1337);
  model.stopTraining = false;
  await each(callbacks, (c) => c.onTrainBegin?.());
  let logs: Logs = {};
  let lastYield = performance.now();
  const inputs = new InputBatches(train.x);
  const valInputs = val ? new InputBatches(val.x) : null;
  try {
    for (let epoch = 0; epoch < epochs && !model.stopTraining; epoch++) {
      stepper.reset();
      await each(callbacks, (c) => c.onEpochBegin?.(epoch));
      const order = args.shuffle === false ? undefined : permutation(train.n, random);
      for (const [b, [start, end]] of bounds.entries()) {
        const xs = inputs.batch(start, end, order);
        try {
          stepper.train(xs, batchTargets(train.y, start, end, order));
        } finally {
          tf.dispose(xs);
        }
        if (batchLogs) {
          const current = stepper.logs();
          await each(callbacks, (c) => c.onTrainBatchEnd?.(b, current));
        }
        if (model.stopTraining) break;
        if (performance.now() - lastYield > 100) {
          await new Promise((resolve) => setImmediate(resolve));
          lastYield = performance.now();
        }
      }
      logs = stepper.logs();
      if (val) {
        const valLogs = evaluateLoop(stepper, val, batchSize, valInputs!);
        for (const [k, v] of Object.entries(valLogs)) logs[`val_${k}`] = v;
      }
      await each(callbacks, (c) => c.onEpochEnd?.(epoch, logs));
    }
  } finally {
    inputs.dispose();
    valInputs?.dispose();
  }
  await each(callbacks, (c) => c.onTrainEnd?.(logs));
  return history;
}

/** Keras's `evaluate`: test steps over the samples in order; the logs after the last batch. */
export function evaluateLoop(
  stepper: Stepper,
  data: { x: Column[]; y: Column[]; n: number },
  batchSize: number,
  inputs?: InputBatches,
): Logs {
  stepper.reset();
  const source = inputs ?? new InputBatches(data.x);
  try {
    evaluateBatches(stepper, data, batchSize, source);
  } finally {
    if (!inputs) source.dispose();
  }
  return stepper.logs();
}

function evaluateBatches(
  stepper: Stepper,
  data: { y: Column[]; n: number },
  batchSize: number,
  inputs: InputBatches,
): void {
  for (const [start, end] of batchBounds(data.n, batchSize)) {
    const xs = inputs.batch(start, end);
    try {
      stepper.test(xs, batchTargets(data.y, start, end));
    } finally {
      tf.dispose(xs);
    }
  }
}

/** The training and validation parts of the samples (`validation_split` takes the last fraction). */
export function splitColumns(x: Column[], y: Column[], n: number, at: number) {
  const part = (s: number, e: number) => ({
    x: x.map((c) => sliceColumn(c, s, e)),
    y: y.map((c) => sliceColumn(c, s, e)),
    n: e - s,
  });
  return { train: part(0, at), val: part(at, n) };
}

async function each(callbacks: Callback[], fn: (c: Callback) => void | Promise<void> | undefined): Promise<void> {
  for (const c of callbacks) await fn(c);
}

/** A small seeded generator (mulberry32), so that shuffled runs repeat. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function permutation(n: number, random: () => number): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}
