import { existsSync, statSync } from "node:fs";
import { extname } from "node:path";
import { type Command, InvalidArgumentError, Option } from "commander";
import { FormatError } from "../ir/errors.js";
import { openModel } from "../formats/open.js";
import { SAVE_FORMATS, type SaveFormat, formatForPath, saveModel } from "../formats/save.js";
import { writeTfjsModel } from "../formats/tfjs/write.js";
import { convertToOnnx } from "./convert-onnx.js";
import type { CliIO } from "./io.js";

const TARGETS = [...SAVE_FORMATS, "onnx", "tfjs"] as const;
type Target = (typeof TARGETS)[number];

interface ConvertOptions {
  to?: Target;
  weights?: string;
  opset?: number;
  shardSize?: number;
  externalData?: boolean;
}

/**
 * The format `dest` asks for when `--to` is not given: `.keras`, `.h5`, `.json`, `.onnx`, or a folder
 * (an existing one, or a name without an extension) for a TF.js layers model.
 */
export function targetForPath(dest: string): Target | null {
  if (extname(dest).toLowerCase() === ".onnx") return "onnx";
  const format: SaveFormat | null = formatForPath(dest);
  if (format) return format;
  if ((existsSync(dest) && statSync(dest).isDirectory()) || extname(dest) === "") return "tfjs";
  return null;
}

/**
 * `kerasgraph convert SRC DEST [--to FORMAT]`: reads any model kerasgraph detects (by content) and
 * writes it as `.keras`, legacy `.h5`, Keras JSON (Keras 3 or tf.keras 2 dialect), ONNX or a TF.js
 * folder. Every file is written whole or not at all.
 */
export function registerConvert(program: Command, io: CliIO): void {
  program
    .command("convert")
    .description("convert a model: .keras, .h5, Keras JSON, ONNX or a TF.js layers-model folder")
    .argument("<src>", "a .keras, .h5, Keras JSON, TF.js model.json or .onnx file (detected by content)")
    .argument("<dest>", "the file (or, for TF.js, the folder) to write")
    .addOption(new Option("--to <format>", "the format to write (default: from DEST's extension)").choices(TARGETS))
    .option("--weights <file>", "weights for an architecture-only SRC (.h5 from save_weights, .weights.h5)")
    .option("--opset <n>", "ONNX opset, 13 to 21 (default 17)", intIn(13, 21))
    .option("--external-data", "ONNX: keep the weights in DEST.data beside DEST (automatic past 2 GiB)")
    .option("--shard-size <bytes>", "TF.js weight shard size in bytes (default 4194304)", intIn(4, 2 ** 31))
    .action(async (src: string, dest: string, opts: ConvertOptions) => {
      const target = opts.to ?? targetForPath(dest);
      if (!target) {
        throw new FormatError(
          `cannot tell which format to write from '${dest}'. Use --to with one of: ${TARGETS.join(", ")}.`,
        );
      }
      if (target === "onnx") {
        const externalData = opts.externalData ? "always" : "auto";
        await convertToOnnx(src, dest, { ...(opts.opset ? { opset: opts.opset } : {}), externalData }, io);
        return;
      }
      const architectureOnly = target === "json" || target === "json-keras2";
      const opened = await openModel(src, {
        weights: !architectureOnly,
        ...(opts.weights ? { weightsFile: opts.weights } : {}),
      });
      if (target === "tfjs") {
        const { files, gaps } = await writeTfjsModel(opened.graph, dest, {
          ...(opts.shardSize ? { shardBytes: opts.shardSize } : {}),
          ...(opened.kerasVersion ? { kerasVersion: opened.kerasVersion } : {}),
        });
        io.stdout.write(`wrote ${dest} (TF.js layers model, ${files.length} files)\n`);
        for (const gap of gaps) {
          io.stderr.write(`warning: stock tfjs-layers cannot load ${gap.layer} (${gap.className}): ${gap.reason}\n`);
        }
        return;
      }
      await saveModel(opened.graph, dest, {
        format: target,
        ...(opened.kerasVersion ? { kerasVersion: opened.kerasVersion } : {}),
        ...(opened.backend ? { backend: opened.backend } : {}),
      });
      io.stdout.write(`wrote ${dest} (${target}, ${opened.graph.layers.length} layers)\n`);
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
