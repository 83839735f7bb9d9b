import { open, readFile } from "node:fs/promises";
import type { Graph } from "../ir/graph.js";
import { FormatError } from "../ir/errors.js";
import "../layers/index.js";
import type { LayerRegistry } from "../layers/registry.js";
import type { Architecture } from "./architecture.js";
import { isHdf5, type ModelFormat, type Sniffed, sniffModel } from "./detect.js";
import { readH5Architecture } from "./h5/read-architecture.js";
import { readKerasJson } from "./keras-json/read.js";
import { readKerasZipArchitecture } from "./keras-zip/read-architecture.js";
import { isRecord } from "./model-json.js";
import { readTfjsArchitecture } from "./tfjs/read-architecture.js";

export interface OpenedModel {
  format: ModelFormat;
  graph: Graph;
  kerasVersion?: string;
  backend?: string;
}

export interface OpenOptions {
  /** Layer kinds to read with (custom layers); the built-in catalog by default. */
  registry?: LayerRegistry;
}

/**
 * Reads a model file of any format kerasgraph detects (by content, not by name) and returns its
 * architecture as a Graph, with the Keras version and backend the file records. Node's own errors
 * (ENOENT, EISDIR, ...) pass through; bad content raises FormatError naming the file.
 */
export async function openModel(path: string, options: OpenOptions = {}): Promise<OpenedModel> {
  const { format, json, bytes } = await sniffFile(path);
  const arch = await readArchitecture(format, bytes, json, path);
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

/** Enough of a file to find an HDF5 signature (at 0, 512, 1024, ... in practice within a few KiB). */
const HEAD_BYTES = 64 * 1024;

/**
 * Detects the file's format. An HDF5 file (often hundreds of MB of weights, which h5wasm reads from the
 * path itself) is recognized from its first bytes without reading it whole.
 */
async function sniffFile(path: string): Promise<Sniffed & { bytes: Uint8Array }> {
  const head = await readModelFile(path, HEAD_BYTES);
  if (isHdf5(head)) return { format: "h5", bytes: head };
  const bytes = head.length < HEAD_BYTES ? head : await readModelFile(path);
  return { ...sniffModel(bytes, path), bytes };
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

async function readArchitecture(
  format: ModelFormat,
  bytes: Uint8Array,
  json: unknown,
  path: string,
): Promise<Architecture> {
  switch (format) {
    case "keras-zip":
      return readKerasZipArchitecture(bytes, path);
    case "h5":
      return readH5File(path);
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

/** h5wasm (Node build) opens files from the host file system by path; it is loaded only when needed. */
async function readH5File(path: string): Promise<Architecture> {
  const h5wasm = (await import("h5wasm/node")).default;
  await h5wasm.ready;
  const file = new h5wasm.File(path, "r");
  try {
    return readH5Architecture(file, path);
  } finally {
    file.close();
  }
}
