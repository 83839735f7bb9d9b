import { openModel } from "../formats/open.js";
import { attachWeightsFile } from "../formats/weights-file.js";
import { FormatError } from "../ir/errors.js";
import type { Graph, Layer as IrLayer } from "../ir/graph.js";
import { type SaveFormat, saveModel as saveGraph } from "../formats/save.js";
import { writeKerasWeightsFile } from "../formats/keras-zip/weights-write.js";
import type { LayerClass } from "./custom/kind.js";
import { registryWithCustomObjects } from "./custom/register.js";
import { Model } from "./model.js";
import { assertSerializable, fillWeights } from "./predict.js";

/**
 * Keras's `model.save(path)`: a `.keras` archive, a legacy `.h5`, or (`.json`) the architecture only,
 * chosen by the extension. Weights never set are drawn from their initializers first, as Keras's
 * layers hold values from the moment they are built.
 */
export async function saveModel(
  model: Model,
  path: string,
  options: { format?: SaveFormat } = {},
): Promise<SaveFormat> {
  assertSerializable(model.graph);
  fillWeights(model.graph);
  return saveGraph(model.graph, path, options);
}

/**
 * Keras's `model.save_weights(path, max_shard_size=None)`: a `.weights.h5`, or with `maxShardSize` (GB
 * like Keras, or `"500MB"`) a `.weights.json` manifest and `<base>_00000.weights.h5`, ... shards. Returns
 * the files written, the manifest first.
 */
export async function saveWeights(
  model: Model,
  path: string,
  options: { maxShardSize?: number | string } = {},
): Promise<string[]> {
  if (!/\.weights\.(h5|json)$/.test(path)) {
    throw new FormatError(
      "The filename must end in `.weights.h5` (or `.weights.json`, sharded with maxShardSize). " +
        `Received: filepath=${path}`,
    );
  }
  fillWeights(model.graph);
  return writeKerasWeightsFile(model.graph, path, options);
}

/**
 * Keras's `keras.models.load_model(path, custom_objects=...)`: any model file kerasgraph reads
 * (`.keras`, `.h5`, Keras JSON, TF.js), with its weights.
 */
export async function loadModel(
  path: string,
  options: { customObjects?: Record<string, LayerClass> } = {},
): Promise<Model> {
  const { graph } = await openModel(path, { registry: registryWithCustomObjects(options.customObjects) });
  return new Model({ graph });
}

/**
 * Keras's `keras.models.clone_model(model)`: the same architecture with new layers (same names and
 * configs) and fresh weights.
 */
export function cloneModel(model: Model): Model {
  return Model.fromConfig(model.getConfig());
}

/** Layers by name, nested models' layers included (their names are unique within Keras's models). */
function layersByName(graph: Graph, out = new Map<string, IrLayer>()): Map<string, IrLayer> {
  for (const l of graph.uniqueLayers()) {
    if (l.subgraph) layersByName(l.subgraph, out);
    else if (l.weights?.length && !out.has(l.name)) out.set(l.name, l);
  }
  return out;
}

/**
 * Keras's `model.load_weights(path)`: the weights of a `.keras` archive (taken layer by layer, by
 * layer and weight name), of an HDF5 file (`.weights.h5`, legacy `save_weights`, a full `.h5`
 * model), or of sharded weights (a `.weights.json` manifest). Throws FormatError naming the layer whose
 * weights are missing or shaped differently.
 */
export async function loadWeights(model: Model, path: string): Promise<void> {
  if (!path.endsWith(".keras")) return attachWeightsFile(model.graph, path, { lazy: false });
  const source = layersByName((await openModel(path)).graph);
  for (const [name, layer] of layersByName(model.graph)) {
    const from = source.get(name);
    for (const w of layer.weights ?? []) {
      const data = from?.values.get(w.name);
      if (!data || data.shape.join(",") !== w.shape.join(",")) {
        throw new FormatError(
          `${layer.className} '${name}': weight '${w.name}' of shape (${w.shape.join(", ")}) is not in the file` +
            (data ? `; the file's has shape (${data.shape.join(", ")})` : "") +
            ".",
          { file: path },
        );
      }
      layer.values.set(w.name, data);
    }
  }
}
