import { closeSync, openSync } from "node:fs";
import { strToU8 } from "fflate";
import type { Graph } from "../../ir/graph.js";
import { defaultRegistry, type LayerRegistry } from "../../layers/registry.js";
import { writeAtomically } from "../atomic-write.js";
import { writeH5Stream } from "../hdf5/writer.js";
import { kerasJsonView } from "../keras-json/write.js";
import { pythonJsonDumps } from "../python-json.js";
import { kerasWeightsTree } from "./weights-h5.js";
import { ZipWriter } from "./zip-writer.js";
import { savedClassName } from "./saveables.js";

/** The Keras release whose `.keras` layout the writer follows, declared when the graph has no Keras 3 version. */
export const KERAS_ARCHIVE_VERSION = "3.16.0";

export interface WriteKerasArchiveOptions {
  /** `metadata.json`'s `keras_version`: the source's when it is a Keras 3 version, else KERAS_ARCHIVE_VERSION. */
  kerasVersion?: string;
  /** `metadata.json`'s `date_saved` (default: now). */
  date?: Date;
  /** Resolves layer class aliases for Keras's group names; the built-in catalog by default. */
  registry?: LayerRegistry;
}

/**
 * Writes the graph as Keras 3's `model.save("m.keras")` does: a zip with `metadata.json`, `config.json`
 * (Keras 3 JSON) and `model.weights.h5` in that order, stored uncompressed, then `assets/` files. Every
 * layer weight must have a value. The weights' HDF5 is streamed into the archive (no scratch copy),
 * which is built in a temporary file beside `dest` and renamed over it at the end, so a failure
 * leaves no partial file.
 */
export async function writeKerasArchive(
  graph: Graph,
  dest: string,
  options: WriteKerasArchiveOptions = {},
): Promise<void> {
  const registry = options.registry ?? defaultRegistry;
  const classNameOf = savedClassName(registry);
  const config = pythonJsonDumps(kerasJsonView(graph, { dialect: "keras3" }));
  const version =
    options.kerasVersion && /^3\./.test(options.kerasVersion) ? options.kerasVersion : KERAS_ARCHIVE_VERSION;
  const metadata = pythonJsonDumps({ keras_version: version, date_saved: pythonDate(options.date ?? new Date()) });
  const weights = kerasWeightsTree(graph, classNameOf);
  await writeAtomically(dest, (temp) => {
    const fd = openSync(temp, "w");
    try {
      const zip = new ZipWriter(fd, { path: temp, name: dest });
      zip.add("metadata.json", strToU8(metadata));
      zip.add("config.json", strToU8(config));
      zip.addStream("model.weights.h5", (push, expect) =>
        writeH5Stream(weights, push, { release: true, announce: expect }),
      );
      for (const [name, data] of graph.assets ?? []) zip.add(name, data);
      zip.end();
    } finally {
      closeSync(fd);
    }
  });
}

/** `datetime.now().strftime("%Y-%m-%d@%H:%M:%S")`. */
function pythonDate(d: Date): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}@${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
