import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { FormatError } from "../../ir/errors.js";
import { tfjsShardPaths } from "../../formats/tfjs/shard-weights.js";

/**
 * The files the page needs to open `model`: the file itself, and for a TF.js model.json the weight
 * shards its manifest names, beside it (those that exist; the page says which are missing).
 */
export function servedModelFiles(model: string): string[] {
  const path = resolve(model);
  if (!statSync(path).isFile()) {
    throw new FormatError("is not a file; give the model file (for a TF.js model, its model.json).", { file: model });
  }
  if (!/\.json$/i.test(path)) return [path];
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch {
    return [path]; // Not JSON after all: the page's reader names what is wrong with it.
  }
  let shards: string[];
  try {
    shards = tfjsShardPaths(json);
  } catch {
    return [path]; // A malformed manifest: the page's reader reports it, naming the file.
  }
  return [path, ...shards.map((p) => join(dirname(path), decodeURIComponent(p))).filter((s) => existsSync(s))];
}
