import { strFromU8 } from "fflate";
import { FormatError, KerasGraphError } from "../../ir/errors.js";
import type { Graph } from "../../ir/graph.js";
import { defaultRegistry, type LayerRegistry } from "../../layers/registry.js";
import { withH5Bytes } from "../hdf5/memory-reader.js";
import { type H5Reader, Hdf5Unsupported, withH5Reader } from "../hdf5/reader.js";
import { loadAll } from "../weight-values.js";
import { type ClassNameOf, savedClassName } from "./saveables.js";
import { readKerasJson } from "../keras-json/read.js";
import { isRecord } from "../model-json.js";
import { readNpzWeights } from "./weights-npz.js";
import { readKerasWeights } from "./weights-h5.js";
import { type MemberCheck, startMemberCheck } from "./member-check.js";
import { type ZipEntry, ZipReader } from "./zip-reader.js";

export interface ReadKerasArchiveOptions {
  /** Layer kinds to read with (custom layers); the built-in catalog by default. */
  registry?: LayerRegistry;
  /** Read the architecture only, leaving `model.weights.h5` unread. */
  weights?: boolean;
  /** Values load from the archive on first use (default); false loads them all now. */
  lazy?: boolean;
}

export interface KerasArchive {
  graph: Graph;
  /** `metadata.json`'s `keras_version`. */
  kerasVersion?: string;
}

/**
 * Reads a Keras 3 `.keras` archive (`saving_lib.save_model`): `config.json` into the graph, then the
 * weights (`model.weights.h5`, or `model.weights.npz`) into its layers by Keras's attribute paths, the
 * optimizer's variables, and `assets/`; an archive without a weights member reads as an architecture.
 * The archive is read member by member from disk, never whole; values load from it on first use.
 */
export async function readKerasArchive(path: string, options: ReadKerasArchiveOptions = {}): Promise<KerasArchive> {
  const registry = options.registry ?? defaultRegistry;
  const zip = new ZipReader(path);
  const h5 = options.weights !== false ? zip.entry("model.weights.h5") : undefined;
  // A large stored weights member's CRC is computed on a worker thread from now on, while the rest is read.
  let check: MemberCheck | null = null;
  try {
    if (h5?.method === 0) check = startMemberCheck(zip, h5);
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
      const classNameOf = savedClassName(registry);
      const npz = zip.entry("model.weights.npz");
      try {
        if (h5) await readH5Member(zip, h5, graph, classNameOf, options.lazy !== false, check);
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
  } catch (e) {
    check?.cancel();
    throw e;
  } finally {
    zip.close();
  }
}

/**
 * Reads the weights member. Keras stores it uncompressed, so its HDF5 is read in place inside the
 * archive, and values load from the archive on first use. Its CRC is checked first, or, for a large
 * member, by `check` on a worker thread meanwhile: then each value waits for the check before it loads,
 * and damage the HDF5 reader meets is reported as the CRC mismatch it is. A compressed member, or an
 * HDF5 layout only the HDF5 library reads, is inflated in memory and loaded at once.
 */
async function readH5Member(
  zip: ZipReader,
  entry: ZipEntry,
  graph: Graph,
  classNameOf: ClassNameOf,
  lazy: boolean,
  check: MemberCheck | null,
): Promise<void> {
  const read = (reader: H5Reader, load: boolean) => {
    readKerasWeights(reader, graph, classNameOf);
    if (load) loadAll(graph);
  };
  if (entry.method === 0) {
    if (!check) zip.verify(entry);
    try {
      const base = zip.dataOffset(entry);
      await withH5Reader(zip.path, (reader) => read(reader, !lazy), { base, ...(check ? { verify: check.wait } : {}) });
      return;
    } catch (e) {
      // A damaged member is reported as such; zip.read below checks the CRC of one read another way.
      if (e instanceof Hdf5Unsupported) check?.cancel();
      else check?.wait();
      if (e instanceof FormatError && /^is a damaged HDF5 file/.test(e.message))
        throw e.inFile(`${zip.path} (model.weights.h5)`);
      if (!(e instanceof Hdf5Unsupported)) throw e;
    }
  }
  // Nothing is extracted to disk: the member is inflated in memory (within maxMemberBytes).
  await withH5Bytes(zip.read(entry), `${zip.path} (model.weights.h5)`, (reader) => read(reader, true)).catch(
    (e: unknown) => {
      if (!(e instanceof FormatError) || !/cannot be opened as HDF5/.test(e.message)) throw e;
      const why = e.message.split("Received: ").pop();
      throw new FormatError(`model.weights.h5 in the archive is not a readable HDF5 file (${why}).`, {
        file: zip.path,
        cause: e,
      });
    },
  );
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
