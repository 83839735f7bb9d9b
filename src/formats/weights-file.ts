import { open } from "node:fs/promises";
import { FormatError, KerasGraphError } from "../ir/errors.js";
import type { Graph } from "../ir/graph.js";
import { defaultRegistry, type LayerRegistry } from "../layers/registry.js";
import { firstBytes, isHdf5 } from "./detect.js";
import { readLegacyWeights } from "./h5/legacy-weights.js";
import { attrTextList, withH5Reader } from "./hdf5/reader.js";
import { readShardedKerasWeights } from "./keras-zip/sharded-read.js";
import { readKerasWeights } from "./keras-zip/weights-h5.js";
import { loadAll } from "./weight-values.js";
import { savedClassName } from "./keras-zip/saveables.js";

/**
 * Attaches the weights stored in `path` to a graph read from an architecture file (`ARCH.json --weights
 * W.h5`). The HDF5 layout decides how: `layer_names` (legacy `save_weights`, Keras 1/2, or a full legacy
 * model's `model_weights`) pairs layers by name or position; `layers/.../vars` (Keras 3's
 * `save_weights("w.weights.h5")`) follows Keras's attribute paths. A JSON file is Keras 3's sharded
 * weights manifest (`save_weights("w.weights.json", max_shard_size=...)`), read from its shards.
 */
export async function attachWeightsFile(
  graph: Graph,
  path: string,
  options: { registry?: LayerRegistry; lazy?: boolean } = {},
): Promise<void> {
  const head = new Uint8Array(64 * 1024);
  const handle = await open(path, "r");
  let n: number;
  try {
    n = (await handle.read(head, 0, head.length, 0)).bytesRead;
  } finally {
    await handle.close();
  }
  const registry = options.registry ?? defaultRegistry;
  const classNameOf = savedClassName(registry);
  if (!isHdf5(head.subarray(0, n))) {
    if (!startsWithJsonObject(head.subarray(0, n))) {
      throw new FormatError(
        "is not a weights file: neither HDF5 (.h5, .weights.h5) nor a sharded weights manifest (.weights.json). " +
          `Received: first bytes ${firstBytes(head.subarray(0, n))}`,
        { file: path },
      );
    }
    try {
      await readShardedKerasWeights(path, graph, classNameOf);
      if (options.lazy === false) loadAll(graph);
    } catch (e) {
      throw e instanceof KerasGraphError ? e.inFile(path) : e;
    }
    return;
  }
  try {
    await withH5Reader(path, (file) => {
      if (attrTextList(file, "/", "layer_names") !== null || file.kind("/model_weights") === "group") {
        readLegacyWeights(file, file.kind("/model_weights") === "group" ? "/model_weights" : "/", graph);
      } else if (file.kind("/layers") === "group" || file.kind("/vars") === "group") {
        readKerasWeights(file, graph, classNameOf);
      } else {
        throw new FormatError(
          "holds no Keras weights: neither layer_names (legacy save_weights) nor layers/.../vars (Keras 3 .weights.h5).",
        );
      }
      if (options.lazy === false) loadAll(graph);
    });
  } catch (e) {
    throw e instanceof KerasGraphError ? e.inFile(path) : e;
  }
}

/** A JSON object's first byte, after whitespace and a byte-order mark. */
function startsWithJsonObject(bytes: Uint8Array): boolean {
  const first = bytes.find(
    (b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf,
  );
  return first === 0x7b;
}
