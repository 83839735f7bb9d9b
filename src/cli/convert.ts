import { type Command, InvalidArgumentError, Option } from "commander";
import { shardSizeBytes } from "../formats/keras-zip/sharded-layout.js";
import type { CliIO } from "./io.js";
import { type ConvertOptions, TARGETS, type Target } from "./targets.js";

/**
 * `kerasgraph convert SRC DEST [--to FORMAT]`: reads any model kerasgraph detects (by content) and
 * writes it as `.keras`, legacy `.h5`, Keras JSON (Keras 3 or tf.keras 2 dialect), ONNX or a TF.js
 * folder, or only the weights (`.weights.h5`; `--max-shard-size` shards them as Keras's
 * `save_weights(..., max_shard_size=...)` does, into a `.weights.json` manifest and its shards). Every
 * file is written whole or not at all. `kerasgraph convert A B C --out-dir DIR --to
 * FORMAT` converts many files on worker threads (src/cli/convert-batch.ts).
 */
export function registerConvert(program: Command, io: CliIO): void {
  const command = program
    .command("convert")
    .description("convert a model: .keras, .h5, Keras JSON, ONNX or a TF.js layers-model folder")
    .usage("[options] SRC DEST | SRC... --out-dir DIR --to FORMAT")
    .argument(
      "<paths...>",
      "SRC DEST: a .keras, .h5, Keras JSON, TF.js model.json or .onnx file and where to write it (for TF.js, a folder); with --out-dir, every path is a SRC",
    )
    .addOption(new Option("--to <format>", "the format to write (default: from DEST's extension)").choices(TARGETS))
    .option("--out-dir <dir>", "convert every SRC into DIR (needs --to), two at a time on worker threads")
    .option(
      "--weights <file>",
      "weights for an architecture-only SRC (.h5 from save_weights, .weights.h5, or a sharded .weights.json)",
    )
    .option("--opset <n>", "ONNX opset, 13 to 21 (default 17)", intIn(13, 21))
    .option("--external-data", "ONNX: keep the weights in DEST.data beside DEST (automatic past 2 GiB)")
    .option("--shard-size <bytes>", "TF.js weight shard size in bytes (default 4194304)", intIn(4, 2 ** 31))
    .option(
      "--max-shard-size <size>",
      "weights only (DEST.weights.h5/.weights.json): shard them as Keras's save_weights(max_shard_size=) does; 500MB, 2GB, or a number of GB",
      shardSize,
    )
    .action(async (paths: string[], opts: ConvertOptions & { outDir?: string }) => {
      const { outDir, ...options } = opts;
      if (outDir === undefined) {
        if (paths.length !== 2) {
          command.error(
            `error: convert takes SRC DEST, or many SRCs with --out-dir DIR. Received: ${paths.length} path(s)`,
          );
        }
        const { convertOne } = await import("./convert-one.js");
        await convertOne(paths[0]!, paths[1]!, options, io);
        return;
      }
      if (!options.to) command.error(`error: --out-dir needs --to with one of: ${TARGETS.join(", ")}`);
      if (options.maxShardSize !== undefined && options.to !== "weights")
        command.error(
          `error: --max-shard-size shards weights-only output (--to weights). Received: --to ${options.to}`,
        );
      const { convertBatch } = await import("./convert-batch.js");
      await convertBatch(paths, outDir, options.to as Target, options, io);
    });
}

function intIn(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}. Received: ${value}`);
    }
    return n;
  };
}

function shardSize(value: string): string {
  try {
    shardSizeBytes(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message);
  }
  return value;
}
