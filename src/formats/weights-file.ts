import { open } from "node:fs/promises";
import { FormatError, KerasGraphError } from "../ir/errors.js";
import type { Graph } from "../ir/graph.js";
import { defaultRegistry, type LayerRegistry } from "../layers/registry.js";
import { isHdf5 } from "./detect.js";
import { readLegacyWeights } from "./h5/legacy-weights.js";
import { attrTextList, withH5Reader } from "./hdf5/reader.js";
import { readKerasWeights } from "./keras-zip/weights-h5.js";
import { loadAll } from "./weight-values.js";

/**
 * Attaches the weights stored in `path` to a graph read from an architecture file (`ARCH.json --weights
 * W.h5`). The HDF5 layout decides how: `layer_names` (legacy `save_weights`, Keras 1/2, or a full legacy
 * model's `model_weights`) pairs layers by name or position; `layers/.../vars` (Keras 3's
 * `save_weights("w.weights.h5")`) follows Keras's attribute paths.
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
  if (!isHdf5(head.subarray(0, n))) {
    throw new FormatError("is not an HDF5 weights file (.h5 / .weights.h5); kerasgraph reads weights from HDF5 only.", {
      file: path,
    });
  }
  const registry = options.registry ?? defaultRegistry;
  try {
    await withH5Reader(path, (file) => {
      if (attrTextList(file, "/", "layer_names") !== null || file.kind("/model_weights") === "group") {
        readLegacyWeights(file, file.kind("/model_weights") === "group" ? "/model_weights" : "/", graph);
      } else if (file.kind("/layers") === "group" || file.kind("/vars") === "group") {
        readKerasWeights(
          file,
          graph,
          (l) => registry.get(l.className, l.meta.registeredName)?.className ?? l.className,
        );
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
