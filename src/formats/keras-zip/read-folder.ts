import { lstat, open, readFile, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { FormatError, KerasGraphError } from "../../ir/errors.js";
import type { Graph } from "../../ir/graph.js";
import { defaultRegistry } from "../../layers/registry.js";
import { withH5Reader } from "../hdf5/reader.js";
import { readKerasJson } from "../keras-json/read.js";
import { checkLimit } from "../limits.js";
import { isRecord } from "../model-json.js";
import { loadAll } from "../weight-values.js";
import type { KerasArchive, ReadKerasArchiveOptions } from "./read.js";
import { type ClassNameOf, savedClassName } from "./saveables.js";
import { weightsFormat } from "./weights-format.js";
import { readNpzWeights } from "./weights-npz.js";
import { readKerasWeights } from "./weights-h5.js";

/** A folder is a Keras model folder when it holds `config.json` (Keras's own test, `saving_api.load_model`). */
export async function isKerasFolder(dir: string): Promise<boolean> {
  return (await stat(join(dir, "config.json")).catch(() => null))?.isFile() ?? false;
}

/**
 * Reads a Keras 3 model folder: what `model.save(path, zipped=False)` writes, and what a Hugging Face Hub
 * Keras repository holds (Keras loads `hf://` models from such a folder). The members are those of a
 * `.keras` archive as files: `config.json`, `metadata.json`, `model.weights.h5` (or `model.weights.npz`)
 * and `assets/`. Keras's `_save_model_to_dir` names the weights file `model.weights.h5` whatever its
 * format, so a folder saved with `weights_format="npz"` holds NumPy's zip under that name (Keras 3.16
 * cannot read it back); the weights are read by their content here. Values load on first use.
 */
export async function readKerasFolder(dir: string, options: ReadKerasArchiveOptions = {}): Promise<KerasArchive> {
  const registry = options.registry ?? defaultRegistry;
  const configPath = join(dir, "config.json");
  const graph = readKerasJson(await readMember(configPath, "utf8"), { file: configPath, registry });
  const metadata = await readMetadata(join(dir, "metadata.json"));
  if (options.weights !== false) {
    const classNameOf = savedClassName(registry);
    const weights = await firstFile(dir, ["model.weights.h5", "model.weights.npz"]);
    if (weights) await readFolderWeights(weights, graph, classNameOf, options.lazy !== false);
    // A folder without a weights file reads as an architecture, as an archive without its member does.
    const assets = await readAssets(join(dir, "assets"));
    if (assets.size) graph.assets = assets;
  }
  const version = metadata?.keras_version;
  return { graph, ...(typeof version === "string" ? { kerasVersion: version } : {}) };
}

async function readFolderWeights(path: string, graph: Graph, classNameOf: ClassNameOf, lazy: boolean): Promise<void> {
  const head = new Uint8Array(8);
  const handle = await open(path, "r");
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  try {
    if (weightsFormat(head, path) === "h5") {
      await withH5Reader(path, (reader) => {
        readKerasWeights(reader, graph, classNameOf, "model.weights.h5");
        if (!lazy) loadAll(graph);
      });
    } else readNpzWeights(await readMember(path), graph, classNameOf);
  } catch (e) {
    throw e instanceof KerasGraphError ? e.inFile(path) : e;
  }
}

async function firstFile(dir: string, names: string[]): Promise<string | null> {
  for (const name of names) {
    const path = join(dir, name);
    if ((await stat(path).catch(() => null))?.isFile()) return path;
  }
  return null;
}

/** A member file, refused past maxMemberBytes (the limit a `.keras` archive's members have). */
async function readMember(path: string): Promise<Uint8Array>;
async function readMember(path: string, encoding: "utf8"): Promise<string>;
async function readMember(path: string, encoding?: "utf8"): Promise<Uint8Array | string> {
  checkLimit("maxMemberBytes", (await stat(path)).size, "a Keras model folder's file", path);
  const bytes = new Uint8Array(await readFile(path));
  return encoding ? new TextDecoder().decode(bytes) : bytes;
}

async function readMetadata(path: string): Promise<Record<string, unknown> | null> {
  if (!(await stat(path).catch(() => null))?.isFile()) return null;
  try {
    const value: unknown = JSON.parse(await readMember(path, "utf8"));
    return isRecord(value) ? value : null;
  } catch (e) {
    if (e instanceof KerasGraphError) throw e;
    throw new FormatError(`is not valid JSON (${(e as Error).message}).`, { file: path, cause: e });
  }
}

/**
 * `assets/` as `.keras` archives carry it: `assets/<path>` → bytes. Files and links to files are read
 * (a Hugging Face cache links each file to its blob); folders are walked, links to folders are not.
 */
async function readAssets(root: string): Promise<Map<string, Uint8Array>> {
  const assets = new Map<string, Uint8Array>();
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      const name = `${prefix}/${entry.name}`;
      if (entry.isDirectory()) await walk(path, name);
      else if ((await stat(path).catch(() => null))?.isFile()) assets.set(name, await readMember(path));
    }
  };
  if ((await lstat(root).catch(() => null))?.isDirectory()) await walk(root, "assets");
  return assets;
}
