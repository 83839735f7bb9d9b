import { writeFileSync } from "node:fs";
import { extname } from "node:path";
import { FormatError } from "../ir/errors.js";
import type { Graph } from "../ir/graph.js";
import type { LayerRegistry } from "../layers/registry.js";
import { writeAtomically } from "./atomic-write.js";
import { writeH5Model } from "./h5/write.js";
import { stringifyJson } from "./json-text.js";
import { kerasJsonView } from "./keras-json/write.js";
import { writeKerasWeightsFile } from "./keras-zip/weights-write.js";
import { writeKerasArchive } from "./keras-zip/write.js";
import { SAVE_FORMATS, type SaveFormat, formatForPath } from "./save-formats.js";

export { SAVE_FORMATS, type SaveFormat, formatForPath } from "./save-formats.js";

export interface SaveOptions {
  /** The format; by default from `dest`'s extension. */
  format?: SaveFormat;
  /** The source's Keras version and backend, recorded where the format keeps them (when they fit it). */
  kerasVersion?: string;
  backend?: string;
  /** Layer kinds (custom layers) for `.keras` group names; the built-in catalog by default. */
  registry?: LayerRegistry;
  /**
   * Weights only: shard them (Keras's `max_shard_size`), a number of GB or a size such as `"500MB"`;
   * the manifest is `dest` with a `.json` suffix, the shards `<base>_00000.weights.h5`, ... beside it.
   */
  maxShardSize?: number | string;
}

/**
 * Writes a graph to `dest` in the format asked for (or named by the extension), all at once or not at
 * all (a temporary file beside `dest` is renamed over it). Returns the format written. `.keras`, `.h5`
 * and weights need every weight's value; JSON is the architecture only.
 */
export async function saveModel(graph: Graph, dest: string, options: SaveOptions = {}): Promise<SaveFormat> {
  const format = options.format ?? formatForPath(dest);
  if (!format) {
    throw new FormatError(
      `cannot tell which format to write from the extension '${extname(dest) || "(none)"}'. ` +
        `Name it .keras, .h5 or .json (.weights.h5 for the weights alone), or choose one of: ${SAVE_FORMATS.join(", ")}.`,
      { file: dest },
    );
  }
  if (options.maxShardSize !== undefined && format !== "weights") {
    throw new FormatError(
      `maxShardSize shards weights-only output (.weights.h5, .weights.json), as Keras's save_weights does; ` +
        `Keras does not shard ${format} files. Received: format ${format}`,
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
    case "weights":
      await writeKerasWeightsFile(graph, dest, {
        ...(options.registry ? { registry: options.registry } : {}),
        ...(options.maxShardSize !== undefined ? { maxShardSize: options.maxShardSize } : {}),
      });
      break;
    case "json":
    case "json-keras2": {
      const json = kerasJsonView(graph, { dialect: format === "json" ? "keras3" : "keras2" });
      await writeAtomically(dest, (temp) => writeFileSync(temp, `${stringifyJson(json)}\n`));
      break;
    }
    default:
      throw new FormatError(`unknown output format '${String(format)}'. Choose one of: ${SAVE_FORMATS.join(", ")}.`, {
        file: dest,
      });
  }
  return format;
}
