import { open } from "node:fs/promises";
import { FormatError, KerasGraphError } from "../ir/errors.js";
import type { Graph } from "../ir/graph.js";
import { defaultRegistry, type LayerRegistry } from "../layers/registry.js";
import { isHdf5 } from "./detect.js";
import { readH5WeightsInto } from "./h5/read.js";
import { attrTextList, kindAt, loadHdf5, openHdf5 } from "./hdf5.js";
import { readKerasWeights } from "./keras-zip/weights-h5.js";

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
  await loadHdf5();
  const file = openHdf5(path, "r");
  let legacy: boolean;
  try {
    legacy = attrTextList(file, "/", "layer_names") !== null || kindAt(file, "/model_weights") === "group";
    if (!legacy) {
      if (kindAt(file, "/layers") !== "group" && kindAt(file, "/vars") !== "group") {
        throw new FormatError(
          "holds no Keras weights: neither layer_names (legacy save_weights) nor layers/.../vars (Keras 3 .weights.h5).",
          { file: path },
        );
      }
      const registry = options.registry ?? defaultRegistry;
      readKerasWeights(file, graph, (l) => registry.get(l.className, l.meta.registeredName)?.className ?? l.className);
    }
  } catch (e) {
    throw e instanceof KerasGraphError ? e.inFile(path) : e;
  } finally {
    file.close();
  }
  if (legacy) await readH5WeightsInto(graph, path, options.lazy !== undefined ? { lazy: options.lazy } : {});
}
