import { strFromU8 } from "fflate";
import { FormatError, KerasGraphError } from "../../ir/errors.js";
import type { Graph } from "../../ir/graph.js";
import { defaultRegistry, type LayerRegistry } from "../../layers/registry.js";
import { removeQuietly, scratchPath } from "../atomic-write.js";
import { loadHdf5, openHdf5 } from "../hdf5.js";
import { readKerasJson } from "../keras-json/read.js";
import { isRecord } from "../model-json.js";
import { readNpzWeights } from "./weights-npz.js";
import { readKerasWeights } from "./weights-h5.js";
import { ZipReader } from "./zip-archive.js";

export interface ReadKerasArchiveOptions {
  /** Layer kinds to read with (custom layers); the built-in catalog by default. */
  registry?: LayerRegistry;
  /** Read the architecture only, leaving `model.weights.h5` unread. */
  weights?: boolean;
}

export interface KerasArchive {
  graph: Graph;
  /** `metadata.json`'s `keras_version`. */
  kerasVersion?: string;
}

/**
 * Reads a Keras 3 `.keras` archive (`saving_lib.save_model`): `config.json` into the graph, then the
 * weights (`model.weights.h5`, or `model.weights.npz`) into its layers by Keras's attribute paths, the
 * optimizer's variables, and `assets/`; an archive without a weights member reads as an architecture. The archive is read member by member from disk; the weights
 * member goes through a scratch file (HDF5 reads files) that is deleted before returning.
 */
export async function readKerasArchive(path: string, options: ReadKerasArchiveOptions = {}): Promise<KerasArchive> {
  const registry = options.registry ?? defaultRegistry;
  const zip = new ZipReader(path);
  try {
    const configEntry = zip.entry("config.json");
    if (!configEntry) {
      const names = zip.entries.map((e) => e.name).join(", ") || "none";
      throw new FormatError(
        `is a zip archive without config.json, so not a Keras .keras file. Received entries: ${names}`,
        { file: path },
      );
    }
    const graph = readKerasJson(strFromU8(zip.read(configEntry)), { file: path, registry });
    const metadata = parseMetadata(zip, path);
    if (options.weights !== false) {
      const classNameOf = (layer: { className: string; meta: { registeredName?: string | null } }) =>
        registry.get(layer.className, layer.meta.registeredName)?.className ?? layer.className;
      const h5 = zip.entry("model.weights.h5");
      const npz = zip.entry("model.weights.npz");
      try {
        if (h5) await readH5Member(zip, h5, graph, classNameOf);
        else if (npz) readNpzWeights(zip.read(npz), graph, classNameOf);
        // An archive without a weights member (hand-made, or config only) reads as an architecture.
      } catch (e) {
        throw e instanceof KerasGraphError ? e.inFile(path) : e;
      }
      const assets = zip.entries.filter((e) => e.name.startsWith("assets/") && !e.name.endsWith("/"));
      if (assets.length) graph.assets = new Map(assets.map((e) => [e.name, zip.read(e)]));
    }
    const version = metadata?.keras_version;
    return { graph, ...(typeof version === "string" ? { kerasVersion: version } : {}) };
  } finally {
    zip.close();
  }
}

async function readH5Member(
  zip: ZipReader,
  entry: NonNullable<ReturnType<ZipReader["entry"]>>,
  graph: Graph,
  classNameOf: Parameters<typeof readKerasWeights>[2],
): Promise<void> {
  await loadHdf5();
  const scratch = scratchPath("model.weights.h5");
  try {
    zip.extractTo(entry, scratch);
    let file;
    try {
      file = openHdf5(scratch, "r");
    } catch (e) {
      throw new FormatError(
        `model.weights.h5 in the archive is not a readable HDF5 file (${(e as Error).message.split(": ").pop()}).`,
        {
          cause: e,
        },
      );
    }
    try {
      readKerasWeights(file, graph, classNameOf);
    } finally {
      file.close();
    }
  } finally {
    removeQuietly(scratch);
  }
}

function parseMetadata(zip: ZipReader, path: string): Record<string, unknown> | null {
  const entry = zip.entry("metadata.json");
  if (!entry) return null;
  try {
    const value: unknown = JSON.parse(strFromU8(zip.read(entry)));
    return isRecord(value) ? value : null;
  } catch (e) {
    if (e instanceof KerasGraphError) throw e;
    throw new FormatError(`metadata.json in the .keras archive is not valid JSON (${(e as Error).message}).`, {
      file: path,
      cause: e,
    });
  }
}
