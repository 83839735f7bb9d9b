import { open, readFile, readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Graph } from "../ir/graph.js";
import { FormatError } from "../ir/errors.js";
import "../layers/index.js";
import type { LayerRegistry } from "../layers/registry.js";
import type { Architecture } from "./architecture.js";
import { isHdf5, type ModelFormat, type Sniffed, sniffModel } from "./detect.js";
import { readH5Model } from "./h5/read.js";
import { readKerasJson } from "./keras-json/read.js";
import { readKerasArchive } from "./keras-zip/read.js";
import { isKerasFolder, readKerasFolder } from "./keras-zip/read-folder.js";
import { isRecord } from "./model-json.js";
import { readTfjsArchitecture } from "./tfjs/read-architecture.js";
import { readTfjsModel } from "./tfjs/read.js";
import { attachWeightsFile } from "./weights-file.js";

export interface OpenedModel {
  format: ModelFormat;
  graph: Graph;
  kerasVersion?: string;
  backend?: string;
}

export interface OpenOptions {
  /** Layer kinds to read with (custom layers); the built-in catalog by default. */
  registry?: LayerRegistry;
  /** Read the weights a .keras or .h5 file holds (default true); false reads the architecture only. */
  weights?: boolean;
  /**
   * A weights file for an architecture-only model (`ARCH.json --weights W.h5`): a legacy `save_weights`
   * HDF5, a Keras 3 `.weights.h5`, or a model .h5/.keras whose weights fit the architecture.
   */
  weightsFile?: string;
  /** Load weights on first use rather than all at once (default true). */
  lazy?: boolean;
}

/**
 * Reads a model file of any format kerasgraph detects (by content, not by name) and returns it as a
 * Graph, with the weights a .keras or .h5 file holds (or `weightsFile`'s) attached to its layers and
 * the Keras version and backend the file records. Node's own errors (ENOENT, EISDIR, ...) pass
 * through; bad content raises FormatError naming the file.
 */
export async function openModel(path: string, options: OpenOptions = {}): Promise<OpenedModel> {
  const opened = await openModelFile(path, options);
  if (options.weightsFile) await attachWeightsFile(opened.graph, options.weightsFile, options);
  return opened;
}

async function openModelFile(path: string, options: OpenOptions): Promise<OpenedModel> {
  const registry = options.registry ? { registry: options.registry } : {};
  const withWeights = options.weights !== false && !options.weightsFile;
  if ((await stat(path).catch(() => null))?.isDirectory()) return openFolder(path, options);
  const head = await readModelFile(path, HEAD_BYTES);
  if (startsWithZip(head)) {
    const { graph, kerasVersion } = await readKerasArchive(path, {
      ...registry,
      weights: withWeights,
      ...(options.lazy !== undefined ? { lazy: options.lazy } : {}),
    });
    return { format: "keras-zip", graph, ...(kerasVersion ? { kerasVersion } : {}) };
  }
  if (isHdf5(head)) {
    const { graph, kerasVersion, backend } = await readH5Model(path, {
      ...registry,
      weights: withWeights,
      ...(options.lazy !== undefined ? { lazy: options.lazy } : {}),
    });
    return { format: "h5", graph, ...(kerasVersion ? { kerasVersion } : {}), ...(backend ? { backend } : {}) };
  }
  const bytes = head.length < HEAD_BYTES ? head : await readModelFile(path);
  const { format, json } = sniffModel(bytes, path);
  if (format === "onnx") {
    // Loaded for ONNX files only: the importer is ~90 ms of module loading that a Keras file never needs.
    const { importOnnxBytes } = await import("./onnx/import/import.js");
    return { format, graph: importOnnxBytes(bytes, { file: path, ...registry }).graph };
  }
  if (format === "tfjs" && withWeights && hasManifest(json)) {
    const { graph, kerasVersion, backend } = await readTfjsModel(path, registry);
    return { format, graph, ...(kerasVersion ? { kerasVersion } : {}), ...(backend ? { backend } : {}) };
  }
  const arch = await readArchitecture(format, json, path);
  const graph = readKerasJson(arch.modelConfig, {
    file: path,
    ...(options.registry ? { registry: options.registry } : {}),
  });
  return {
    format,
    graph,
    ...(arch.kerasVersion ? { kerasVersion: arch.kerasVersion } : {}),
    ...(arch.backend ? { backend: arch.backend } : {}),
  };
}

/**
 * A folder: a Keras model folder (`config.json`: `model.save(path, zipped=False)`, a Hugging Face Hub
 * Keras repository), or a TF.js layers model (its `model.json`).
 */
async function openFolder(dir: string, options: OpenOptions): Promise<OpenedModel> {
  if (await isKerasFolder(dir)) {
    const { graph, kerasVersion } = await readKerasFolder(dir, {
      ...(options.registry ? { registry: options.registry } : {}),
      weights: options.weights !== false && !options.weightsFile,
      ...(options.lazy !== undefined ? { lazy: options.lazy } : {}),
    });
    return { format: "keras-dir", graph, ...(kerasVersion ? { kerasVersion } : {}) };
  }
  const tfjs = join(dir, "model.json");
  if ((await stat(tfjs).catch(() => null))?.isFile()) return openModelFile(tfjs, options);
  throw new FormatError(
    "is a folder without config.json (a Keras model folder, from model.save(path, zipped=False)) or model.json " +
      `(a TF.js layers model). Received: ${(await readdir(dir)).slice(0, 8).join(", ") || "an empty folder"}`,
    { file: dir },
  );
}

/** A TF.js model.json that lists weight shards (tfjs-layers also saves topology-only files). */
function hasManifest(json: unknown): boolean {
  return isRecord(json) && Array.isArray(json.weightsManifest) && json.weightsManifest.length > 0;
}

/**
 * Enough of a file to find an HDF5 signature (at 0, 512, 1024, ... in practice within a few KiB). HDF5
 * and zip files (often hundreds of MB of weights) are recognized from their first bytes and read by
 * their readers from the path, never whole.
 */
const HEAD_BYTES = 64 * 1024;

function startsWithZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

/** The file's bytes (at most `limit`); Node's error gets the path where it lacks one (EISDIR). */
async function readModelFile(path: string, limit?: number): Promise<Uint8Array> {
  try {
    if (limit === undefined) return new Uint8Array(await readFile(path));
    const handle = await open(path, "r");
    try {
      const buffer = new Uint8Array(limit);
      const { bytesRead } = await handle.read(buffer, 0, limit, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    err.path ??= path;
    throw err;
  }
}

async function readArchitecture(format: Sniffed["format"], json: unknown, path: string): Promise<Architecture> {
  switch (format) {
    case "keras-zip":
    case "h5":
      throw new FormatError(`was not recognized as ${format} from its first bytes; it is damaged.`, { file: path });
    case "tfjs":
      return readTfjsArchitecture(json, path);
    case "keras-json":
      return kerasJsonArchitecture(json);
    case "onnx":
      throw new FormatError("is an ONNX model; kerasgraph cannot read ONNX into a Keras graph yet.", { file: path });
  }
}

/** A `model.to_json()` file; Keras 2 writes `keras_version` and `backend` beside `class_name`. */
function kerasJsonArchitecture(json: unknown): Architecture {
  const text = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
  const kerasVersion = isRecord(json) ? text(json.keras_version) : undefined;
  const backend = isRecord(json) ? text(json.backend) : undefined;
  return { modelConfig: json, ...(kerasVersion ? { kerasVersion } : {}), ...(backend ? { backend } : {}) };
}
