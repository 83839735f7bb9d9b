import { strFromU8 } from "fflate";
import { FormatError, KerasGraphError } from "../ir/errors.js";
import type { Graph } from "../ir/graph.js";
import "../layers/index.js";
import { defaultRegistry, type LayerRegistry } from "../layers/registry.js";
import { sniffModel } from "./detect.js";
import { readModel as readH5Root } from "./h5/read.js";
import { withH5Bytes } from "./hdf5/memory-reader.js";
import { readKerasJson } from "./keras-json/read.js";
import { weightsFormat } from "./keras-zip/weights-format.js";
import { readKerasWeights } from "./keras-zip/weights-h5.js";
import { readNpzWeights } from "./keras-zip/weights-npz.js";
import { unzipChecked } from "./keras-zip/zip-safety.js";
import { isRecord } from "./model-json.js";
import type { OpenedModel } from "./open.js";
import { readTfjsArchitecture } from "./tfjs/read-architecture.js";
import { attachTfjsShardWeights, shardsInMemory, tfjsShardPaths } from "./tfjs/shard-weights.js";
import { savedClassName } from "./keras-zip/saveables.js";

export interface ReadBytesOptions {
  /** Layer kinds to read with (custom layers); the built-in catalog by default. */
  registry?: LayerRegistry;
  /** Read the weights the file holds (default true); false reads the architecture only. */
  weights?: boolean;
  /**
   * Files given beside the model, by base name: a TF.js `model.json`'s `.bin` shards; a Keras model
   * folder's `model.weights.h5` (or `.npz`) and `metadata.json` beside its `config.json`.
   */
  companions?: Map<string, Uint8Array>;
}

export interface BytesModel extends OpenedModel {
  /** Companion files the model names but that were not given (TF.js shards): it was read without weights. */
  missingFiles: string[];
}

/**
 * `openModel` for a file's bytes, with no file system: a `.keras` archive, a legacy `.h5`, Keras JSON (a
 * model folder's config.json with its weights file in `companions`), a TF.js `model.json` (with its shards
 * in `companions`) or an ONNX model (its weights inline), recognized
 * by content and read with the same readers, every weight loaded. HDF5 goes through the HDF5 library's
 * in-memory build, so this runs in a browser as in Node. Bad content raises FormatError naming `name`.
 */
export async function readModelBytes(
  bytes: Uint8Array,
  name: string,
  options: ReadBytesOptions = {},
): Promise<BytesModel> {
  const registry = options.registry ?? defaultRegistry;
  const withWeights = options.weights !== false;
  const { format, json } = sniffModel(bytes, name);
  switch (format) {
    case "keras-zip":
      return { format, missingFiles: [], ...(await readKerasZipBytes(bytes, name, registry, withWeights)) };
    case "h5": {
      const model = await withH5Bytes(bytes, name, (file) =>
        readH5Root(file, name, { registry, weights: withWeights }),
      );
      return { format, missingFiles: [], ...model };
    }
    case "tfjs": {
      const arch = readTfjsArchitecture(json, name);
      const graph = readKerasJson(arch.modelConfig, { file: name, registry });
      const shards = tfjsShardPaths(json, name);
      const missingFiles = shards.filter((p) => !options.companions?.has(baseName(p)));
      if (withWeights && shards.length && !missingFiles.length) {
        attachTfjsShardWeights(
          graph,
          json,
          shardsInMemory((p) => options.companions!.get(baseName(p))!),
          name,
        );
      }
      return { format, graph, missingFiles, ...versions(arch) };
    }
    case "keras-json": {
      const graph = readKerasJson(json, { file: name, registry });
      const text = (v: unknown) => (typeof v === "string" ? v : undefined);
      // A Keras model folder given as its files: config.json, with model.weights.h5 (or .npz) and
      // metadata.json beside it (model.save(path, zipped=False), a Hugging Face Hub Keras repository).
      const metadata = parseJson(options.companions?.get("metadata.json"), "metadata.json", name, "beside it");
      if (withWeights) await readFolderWeights(graph, options.companions, registry);
      const kerasVersion = text(metadata?.keras_version) ?? text(isRecord(json) ? json.keras_version : undefined);
      const backend = text(isRecord(json) ? json.backend : undefined);
      return { format, graph, missingFiles: [], ...versions({ kerasVersion, backend }) };
    }
    case "onnx": {
      // Loaded on demand: the importer is large, and the viewer shows an ONNX file as its ONNX graph.
      const { importOnnxBytes } = await import("./onnx/import/import.js");
      try {
        // No file: a tensor kept in external data cannot be found, and says so.
        return { format, missingFiles: [], graph: importOnnxBytes(bytes, { registry }).graph };
      } catch (e) {
        throw e instanceof KerasGraphError ? e.inFile(name) : e;
      }
    }
  }
}

/** readKerasArchive over the archive's bytes: config.json, metadata.json, the weights member and assets/. */
async function readKerasZipBytes(
  bytes: Uint8Array,
  name: string,
  registry: LayerRegistry,
  withWeights: boolean,
): Promise<{ graph: Graph; kerasVersion?: string }> {
  // Names, symlinks, sizes and ratios checked before anything is inflated (zip-safety.ts).
  const members = unzipChecked(bytes, name);
  const config = members["config.json"];
  if (!config)
    throw new FormatError("is a zip archive without config.json, so not a Keras .keras file.", { file: name });
  const graph = readKerasJson(strFromU8(config), { file: name, registry });
  const metadata = parseJson(members["metadata.json"], "metadata.json", name);
  if (withWeights) {
    const classNameOf = savedClassName(registry);
    const h5 = members["model.weights.h5"];
    const npz = members["model.weights.npz"];
    if (h5) await withH5Bytes(h5, `${name} (model.weights.h5)`, (file) => readKerasWeights(file, graph, classNameOf));
    else if (npz) {
      try {
        readNpzWeights(npz, graph, classNameOf);
      } catch (e) {
        throw e instanceof KerasGraphError ? e.inFile(name) : e;
      }
    }
    const assets = Object.entries(members).filter(([n]) => n.startsWith("assets/") && !n.endsWith("/"));
    if (assets.length) graph.assets = new Map(assets);
  }
  const version = metadata?.keras_version;
  return { graph, ...(typeof version === "string" ? { kerasVersion: version } : {}) };
}

/**
 * The weights of a model folder given as files: `model.weights.h5` (or `.npz`) beside its config.json,
 * read by its content (weightsFormat). Without it the graph stays an architecture, as a folder without
 * its weights file reads.
 */
async function readFolderWeights(
  graph: Graph,
  companions: Map<string, Uint8Array> | undefined,
  registry: LayerRegistry,
): Promise<void> {
  const name = companions?.has("model.weights.h5") ? "model.weights.h5" : "model.weights.npz";
  const bytes = companions?.get(name);
  if (!bytes) return;
  if (weightsFormat(bytes, name) === "h5") {
    await withH5Bytes(bytes, name, (file) => readKerasWeights(file, graph, savedClassName(registry)));
    return;
  }
  try {
    readNpzWeights(bytes, graph, savedClassName(registry));
  } catch (e) {
    throw e instanceof KerasGraphError ? e.inFile(name) : e;
  }
}

function parseJson(
  bytes: Uint8Array | undefined,
  member: string,
  name: string,
  where = "in the .keras archive",
): Record<string, unknown> | null {
  if (!bytes) return null;
  try {
    const value: unknown = JSON.parse(strFromU8(bytes));
    return isRecord(value) ? value : null;
  } catch (e) {
    throw new FormatError(`${member} ${where} is not valid JSON (${(e as Error).message}).`, {
      file: name,
      cause: e,
    });
  }
}

function versions(v: { kerasVersion?: string | undefined; backend?: string | undefined }) {
  return { ...(v.kerasVersion ? { kerasVersion: v.kerasVersion } : {}), ...(v.backend ? { backend: v.backend } : {}) };
}

/** A manifest path's file name (`./group1-shard1of1.bin`, URL-escaped names as the converter writes them). */
function baseName(path: string): string {
  return decodeURIComponent(path).split(/[\\/]/).pop()!;
}
