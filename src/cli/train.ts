import { writeFile } from "node:fs/promises";
import { extname } from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import { TFJS_BACKENDS, type TfjsBackend } from "../exec/tfjs/backends.js";
import { KerasGraphError } from "../ir/errors.js";
import { writeAtomically } from "../formats/atomic-write.js";
import type { CliIO } from "./io.js";
import { collect, readInputs } from "./model-inputs.js";

interface TrainOptions {
  x: string[];
  y: string[];
  epochs: number;
  batchSize: number;
  validationSplit?: number;
  shuffle: boolean;
  optimizer?: string;
  loss?: string;
  lossWeights?: string;
  metrics?: string;
  out: string;
  history?: string;
  backend: TfjsBackend;
  quiet?: boolean;
  seed?: number;
}

/** Raised when Ctrl-C stops training: nothing is written. */
class Interrupted extends KerasGraphError {
  override name = "Interrupted";
}

/**
 * `kerasgraph train MODEL --x X.npy --y Y.npy --epochs N --batch-size N --out TRAINED.keras`: trains on
 * TensorFlow.js with Keras's semantics (Keras's optimizers, losses, metrics, validation split and
 * averaging) and saves the trained model, whole or not at all. A compiled `.keras`/`.h5` trains with its
 * own compile config; `--optimizer`, `--loss`, `--loss-weights` and `--metrics` replace its parts.
 * Ctrl-C stops after the current batch and writes nothing.
 */
export function registerTrain(program: Command, io: CliIO): void {
  program
    .command("train")
    .description("train a model on .npy arrays with Keras's semantics (TensorFlow.js) and save it")
    .argument("<model>", "a .keras, .h5 or TF.js model with weights (detected by content)")
    .requiredOption("--x <file>", "an input array, X.npy in input order or name=X.npy (repeat per input)", collect)
    .requiredOption("--y <file>", "a target array, Y.npy in output order or name=Y.npy (repeat per output)", collect)
    .requiredOption("--out <file>", "where to save the trained model (.keras, .h5)")
    .option("--epochs <n>", "epochs to train", positiveInt, 1)
    .option("--batch-size <n>", "samples per gradient update", positiveInt, 32)
    .option("--validation-split <f>", "the last fraction of the samples validates each epoch", fraction)
    .option("--no-shuffle", "keep the samples in order (Keras's shuffle=False)")
    .option(
      "--optimizer <name|json>",
      'an optimizer name ("adam") or Keras JSON ({"class_name": "Adam", "config": {...}})',
    )
    .option("--loss <name|json>", "a loss name, Keras JSON, or JSON by output name / in output order")
    .option("--loss-weights <json>", "loss weights: a number, a list, or JSON by output name")
    .option("--metrics <a,b|json>", 'metrics: "accuracy,mae", or JSON (by output name, or one list per output)')
    .option("--history <file>", "write Keras's History (per-epoch logs) as JSON")
    .addOption(new Option("--backend <name>", "the tfjs backend").choices(TFJS_BACKENDS).default("wasm"))
    .option("--seed <n>", "seed of the shuffling order", positiveInt)
    .option("--quiet", "print nothing while training")
    .action(async (modelPath: string, opts: TrainOptions) => {
      const ext = extname(opts.out).toLowerCase();
      if (![".keras", ".h5", ".hdf5"].includes(ext)) {
        throw new InvalidArgumentError(`--out must be a .keras or .h5 file. Received: ${opts.out}`);
      }
      const [{ TfjsModel }, { saveModel }] = await Promise.all([
        import("../exec/tfjs/model.js"),
        import("../formats/save.js"),
      ]);
      const [x, y] = [await readInputs(opts.x, "--x"), await readInputs(opts.y, "--y")];
      const model = await TfjsModel.load(modelPath, { backend: opts.backend });
      try {
        const args = { ...(model.compiledArgs ?? {}) };
        if (opts.optimizer) args.optimizer = parseNameOrJson(opts.optimizer, "--optimizer") as never;
        if (opts.loss) args.loss = parseNameOrJson(opts.loss, "--loss") as never;
        if (opts.lossWeights) args.lossWeights = parseJson(opts.lossWeights, "--loss-weights") as never;
        if (opts.metrics)
          args.metrics = (
            opts.metrics.trim().startsWith("[") || opts.metrics.trim().startsWith("{")
              ? parseJson(opts.metrics, "--metrics")
              : opts.metrics
                  .split(",")
                  .map((m) => m.trim())
                  .filter(Boolean)
          ) as never;
        if (!args.loss) {
          throw new InvalidArgumentError(
            `model '${model.graph.name}' has no compile config; give --loss (and --optimizer, default rmsprop).`,
          );
        }
        if (opts.optimizer || opts.loss || opts.lossWeights || opts.metrics || !model.compiledArgs) model.compile(args);
        const stop = () => {
          interrupted = true;
          model.stopTraining = true;
        };
        let interrupted = false;
        process.once("SIGINT", stop);
        const tty = (io.stdout as { isTTY?: boolean }).isTTY === true;
        let history;
        try {
          history = await model.fit(x, y, {
            epochs: opts.epochs,
            batchSize: opts.batchSize,
            shuffle: opts.shuffle,
            ...(opts.validationSplit ? { validationSplit: opts.validationSplit } : {}),
            ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
            verbose: opts.quiet ? 0 : tty ? 1 : 2,
            progress: io.stdout,
          });
        } finally {
          process.removeListener("SIGINT", stop);
        }
        if (interrupted) throw new Interrupted(`training was interrupted; ${opts.out} was not written.`);
        await saveModel(model.syncWeights(), opts.out);
        if (opts.history) {
          const text = `${JSON.stringify({ history: history.history }, null, 1)}\n`;
          await writeAtomically(opts.history, (temp) => writeFile(temp, text));
        }
        if (!opts.quiet) io.stdout.write(`wrote ${opts.out}${opts.history ? ` and ${opts.history}` : ""}\n`);
      } finally {
        model.dispose();
      }
    });
}

function parseJson(text: string, flag: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InvalidArgumentError(`${flag} is not valid JSON (${(e as Error).message}). Received: ${text}`);
  }
}

/** A name as it is, or JSON when it looks like JSON (an object, a list, a quoted string). */
function parseNameOrJson(text: string, flag: string): unknown {
  return /^\s*[[{"]/.test(text) ? parseJson(text, flag) : text.trim();
}

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError(`expected a positive whole number. Received: ${value}`);
  return Number(value);
}

function fraction(value: string): number {
  const f = Number(value);
  if (!(f > 0 && f < 1)) throw new InvalidArgumentError(`expected a fraction between 0 and 1. Received: ${value}`);
  return f;
}
