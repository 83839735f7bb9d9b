import { readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { FormatError } from "../../ir/errors.js";
import { checkJsonDepth, checkLimit } from "../limits.js";
import { isRecord } from "../model-json.js";

/**
 * Keras 3's sharded weights, as `model.save_weights("m.weights.json", max_shard_size=GB)` writes them
 * (keras/src/saving/saving_lib.py, `ShardedH5IOStore`, Keras 3.10 and later; read here from 3.16.0):
 *
 * - The manifest `m.weights.json` (a `.weights.h5` path is given the `.json` suffix) is
 *   `json.dumps(config, indent=4)` of `{"metadata": {"total_size": T}, "weight_map": {...}}`. T is the
 *   sum of every variable's size in bytes, `prod(shape) * bits / 8` (bool 1 bit, bfloat16 16), a Python
 *   float (`1234.0`; `0` when nothing was written).
 * - `weight_map` maps each `vars` group that received a variable, by its HDF5 name (`/vars` for the
 *   model, `/layers/dense/vars`, `/optimizer/vars`), to its shard file name when the group holds one
 *   variable, and to the list of the shard files holding them when it holds more (3.11+: the first
 *   variable records the name, the second turns it into a list, one entry per shard; 3.10 kept the
 *   first name). Seen in the files Keras 3.16 wrote (fixtures/keras3-written/sharded/): a Dense's group is
 *   `["model_00000.weights.h5"]`, an Embedding's `"model_00000.weights.h5"`.
 *   Keras's reader also accepts the object path itself (`layers/dense`) as a key.
 * - Shards are `<base>_00000.weights.h5`, `<base>_00001.weights.h5`, ... beside the manifest (`base`: the
 *   manifest's stem without `.weights`; the index zero-padded to five digits). Each is a Keras 3
 *   `.weights.h5` holding part of the tree: `<object path>/vars/<i>` datasets as in `model.weights.h5`.
 * - Writing visits the objects in `_save_state` order. An object's `vars` group is made, with its `name`
 *   attribute, in the shard open at the time; each variable is added to the running size of the shard,
 *   and when that goes over the limit (strictly) a new shard is opened and the variable starts it. The
 *   group is then made again in the new shard, without the `name` attribute. A variable larger than the
 *   limit is refused (`ValueError: The size of 0 is 1.00 MB which exceeds the maximum shard size ...`):
 *   Keras never gives it a shard of its own. The limit counts variable bytes, not HDF5 metadata.
 * - The limit is `float(max_shard_size) * 1024**3` bytes (GB in Keras's 1024-based sense).
 * - Keras reads a group from the first shard the map lists for it, the variables from any listed shard.
 * - `.keras` archives are never sharded: `save_model` takes no `max_shard_size`, and `load_model` reads
 *   only `model.weights.h5` (or `.npz`) from an archive.
 */
export interface ShardManifest {
  /** The manifest's path. */
  file: string;
  /** Group path without leading slash (`layers/dense/vars`, `vars`) → shard file names, first first. */
  groups: Map<string, string[]>;
  /** Every shard file named, in the order the map first names them. */
  shards: string[];
}

/** Keras's default `max_shard_size` of a `ShardedH5IOStore` (5 GB), used when none is given. */
export const DEFAULT_MAX_SHARD_BYTES = 5 * 1024 ** 3;

/** A manifest path whose shards are the weights: `.weights.json`, or a `.weights.h5` name given `.json`. */
export function manifestPath(dest: string): string {
  return /\.json$/i.test(dest) ? dest : dest.replace(/(\.[^./\\]*)?$/, ".json");
}

/** The shard file names' stem, as Keras makes it: the manifest's stem with `.weights` removed. */
export function shardName(manifest: string, index: number): string {
  const stem = basename(manifest).replace(/\.[^.]*$/, "");
  return `${stem.replaceAll(".weights", "")}_${String(index).padStart(5, "0")}.weights.h5`;
}

const DTYPE_BITS: Readonly<Record<string, number>> = {
  bool: 1,
  int8: 8,
  uint8: 8,
  int16: 16,
  uint16: 16,
  float16: 16,
  bfloat16: 16,
  int32: 32,
  uint32: 32,
  float32: 32,
  int64: 64,
  uint64: 64,
  float64: 64,
};

/** Bits per value, as Keras's `dtype_utils.dtype_size` counts them (bool: 1). */
export function dtypeBits(dtype: string): number {
  const bits = Object.hasOwn(DTYPE_BITS, dtype) ? DTYPE_BITS[dtype] : undefined;
  if (bits === undefined) throw new FormatError(`Keras cannot size a weight of dtype '${dtype}' for sharding.`);
  return bits;
}

/**
 * A maximum shard size in bytes: a number is GB (Keras's `max_shard_size`, `0.25` is 256 MB); a string
 * is a number with an optional unit, B, KB, MB, GB or TB (1024-based like Keras's messages; KiB...
 * accepted too), GB when it has none: `"500MB"`, `"2GB"`, `"0.5"`.
 */
export function shardSizeBytes(size: number | string): number {
  const scale = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 } as const;
  let bytes = NaN;
  if (typeof size === "number") bytes = size * scale.gb;
  else {
    const m = /^\s*(\d+(?:\.\d*)?|\.\d+)\s*([kmgt]i?b|b)?\s*$/i.exec(size);
    if (m) bytes = Number(m[1]) * scale[(m[2] ?? "gb").toLowerCase().replace("i", "") as keyof typeof scale];
  }
  if (!Number.isFinite(bytes) || bytes <= 0)
    throw new FormatError(
      `a maximum shard size must be a positive number of GB or a size such as 500MB or 2GB. Received: ${String(size)}`,
    );
  return bytes;
}

/** The manifest text Keras writes: `json.dumps(config, indent=4)` (ASCII only, floats in Python's repr). */
export function manifestText(totalSize: number, wroteAny: boolean, weightMap: Map<string, string | string[]>): string {
  const map: Record<string, string | string[]> = {};
  for (const [group, shards] of weightMap) map[`/${group}`] = shards;
  const text = JSON.stringify({ metadata: { total_size: 0 }, weight_map: map }, null, 4);
  const total = wroteAny ? pythonFloat(totalSize) : "0";
  return text
    .replace('"total_size": 0', `"total_size": ${total}`)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

function pythonFloat(n: number): string {
  if (Math.abs(n) >= 1e16) return n.toExponential(); // "1.5e+16", as Python's repr
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

/**
 * Reads and checks a manifest from a stranger: JSON with a `weight_map` object whose values are shard
 * file names (or lists of them) that sit in the manifest's own folder: no folders, `..` or absolute
 * paths. Errors name the manifest and the entry.
 */
export function readShardManifest(file: string): ShardManifest {
  checkLimit("maxMemberBytes", statSync(file).size, "a sharded weights manifest", file);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8").replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new FormatError(`is not a valid sharded weights manifest: not JSON (${(e as Error).message}).`, {
      file,
      cause: e,
    });
  }
  checkJsonDepth(json, "the sharded weights manifest", file);
  const weightMap = isRecord(json) ? json.weight_map : undefined;
  if (!isRecord(weightMap)) {
    const got = isRecord(json) ? `keys ${Object.keys(json).slice(0, 8).join(", ") || "(none)"}` : typeof json;
    throw new FormatError(
      `is not an HDF5 weights file (.h5, .weights.h5) nor a Keras sharded weights manifest (.weights.json: ` +
        `an object with "weight_map", from save_weights with max_shard_size). Received: ${got}`,
      { file },
    );
  }
  const groups = new Map<string, string[]>();
  const shards = new Set<string>();
  for (const [key, value] of Object.entries(weightMap)) {
    const names = typeof value === "string" ? [value] : value;
    if (!Array.isArray(names) || !names.length || names.some((n) => typeof n !== "string")) {
      throw new FormatError(
        `weight_map['${key.slice(0, 200)}'] must be a shard file name or a list of them. Received: ${JSON.stringify(value)?.slice(0, 200)}`,
        { file },
      );
    }
    for (const name of names as string[]) {
      checkShardName(file, key, name);
      shards.add(name);
    }
    const group = groupPath(key);
    groups.set(group, [...new Set([...(groups.get(group) ?? []), ...(names as string[])])]);
  }
  return { file, groups, shards: [...shards] };
}

/** `/layers/dense/vars`, or the object path `layers/dense` Keras also looks up, as `layers/dense/vars`. */
function groupPath(key: string): string {
  const parts = key.split("/").filter(Boolean);
  if (parts.at(-1) !== "vars") parts.push("vars");
  return parts.join("/");
}

function checkShardName(file: string, key: string, name: string): void {
  const folder = resolve(dirname(file));
  const plain =
    name !== "" &&
    name !== "." &&
    name !== ".." &&
    !isAbsolute(name) &&
    !/[/\\]/.test(name) &&
    ![...name].some((c) => c.charCodeAt(0) < 0x20) &&
    !/^[a-z]:/i.test(name) &&
    dirname(resolve(folder, name)) === folder;
  if (!plain) {
    throw new FormatError(
      `weight_map['${key.slice(0, 200)}'] names a shard outside the manifest's folder; shards must be file names ` +
        `beside it (Keras writes ${shardName(file, 0)}). Received: ${JSON.stringify(name.slice(0, 200))}`,
      { file },
    );
  }
}

/** Where a shard named by the manifest is: beside it. */
export function shardPath(manifest: string, name: string): string {
  return join(dirname(manifest), name);
}
