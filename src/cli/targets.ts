import { existsSync, statSync } from "node:fs";
import { extname } from "node:path";
import { SAVE_FORMATS, type SaveFormat, formatForPath } from "../formats/save-formats.js";

/** What `convert --to` takes, kept apart from the converters so that the CLI lists it without loading them. */
export const TARGETS = [...SAVE_FORMATS, "onnx", "tfjs"] as const;
export type Target = (typeof TARGETS)[number];

/** What `convert` was asked to do, the same for every file of a batch. */
export interface ConvertOptions {
  to?: Target;
  weights?: string;
  opset?: number;
  shardSize?: number;
  /** Weights-only output: Keras's max_shard_size, "500MB", "2GB" or a number of GB. */
  maxShardSize?: string;
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
