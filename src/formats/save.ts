import { writeFileSync } from "node:fs";
import { extname } from "node:path";
import { FormatError } from "../ir/errors.js";
import type { Graph } from "../ir/graph.js";
import type { LayerRegistry } from "../layers/registry.js";
import { writeAtomically } from "./atomic-write.js";
import { writeH5Model } from "./h5/write.js";
import { writeKerasJson } from "./keras-json/write.js";
import { writeKerasArchive } from "./keras-zip/write.js";

/** What `kerasgraph convert --to` writes: a .keras archive, a legacy .h5, or Keras JSON (3 or tf.keras 2). */
export type SaveFormat = "keras" | "h5" | "h5-keras2" | "json" | "json-keras2";

export const SAVE_FORMATS: readonly SaveFormat[] = ["keras", "h5", "h5-keras2", "json", "json-keras2"];

/** The format a destination's extension asks for: `.keras`, `.h5`/`.hdf5`/`.keras.h5`, `.json`; null if none. */
export function formatForPath(dest: string): SaveFormat | null {
  const ext = extname(dest).toLowerCase();
  if (ext === ".keras") return "keras";
  if (ext === ".h5" || ext === ".hdf5") return "h5";
  if (ext === ".json") return "json";
  return null;
}

export interface SaveOptions {
  /** The format; by default from `dest`'s extension. */
  format?: SaveFormat;
  /** The source's Keras version and backend, recorded where the format keeps them (when they fit it). */
  kerasVersion?: string;
  backend?: string;
  /** Layer kinds (custom layers) for `.keras` group names; the built-in catalog by default. */
  registry?: LayerRegistry;
}

/**
 * Writes a graph to `dest` in the format asked for (or named by the extension), all at once or not at
 * all (a temporary file beside `dest` is renamed over it). Returns the format written. `.keras` and
 * `.h5` need every weight's value; JSON is the architecture only.
 */
export async function saveModel(graph: Graph, dest: string, options: SaveOptions = {}): Promise<SaveFormat> {
  const format = options.format ?? formatForPath(dest);
  if (!format) {
    throw new FormatError(
      `cannot tell which format to write from the extension '${extname(dest) || "(none)"}'. ` +
        `Name it .keras, .h5 or .json, or choose one of: ${SAVE_FORMATS.join(", ")}.`,
      { file: dest },
    );
  }
  const versions = {
    ...(options.kerasVersion ? { kerasVersion: options.kerasVersion } : {}),
    ...(options.backend ? { backend: options.backend } : {}),
  };
  switch (format) {
    case "keras":
      await writeKerasArchive(graph, dest, {
        ...versions,
        ...(options.registry ? { registry: options.registry } : {}),
      });
      break;
    case "h5":
    case "h5-keras2":
      await writeH5Model(graph, dest, { ...versions, dialect: format === "h5" ? "keras3" : "keras2" });
      break;
    case "json":
    case "json-keras2": {
      const json = writeKerasJson(graph, { dialect: format === "json" ? "keras3" : "keras2" });
      await writeAtomically(dest, (temp) => writeFileSync(temp, `${JSON.stringify(json)}\n`));
      break;
    }
    default:
      throw new FormatError(`unknown output format '${String(format)}'. Choose one of: ${SAVE_FORMATS.join(", ")}.`, {
        file: dest,
      });
  }
  return format;
}
