import type { File as H5File } from "h5wasm/node";
import { FormatError } from "../../ir/errors.js";
import type { Graph, Layer } from "../../ir/graph.js";
import type { OptimizerState, WeightData } from "../../ir/weights.js";
import { ensureGroup, writeDataset, writeTextAttr, writeTextListAttr } from "../hdf5/h5wasm.js";
import { attrTextList, type H5Reader } from "../hdf5/reader.js";
import { attachWeight, legacyWeightOrder, savedLayers, shapeText } from "../weight-values.js";

interface FileLayer {
  name: string;
  weightNames: string[];
}

/**
 * Attaches the weights of a legacy HDF5 group (`model_weights` of `model.save("m.h5")`, or the root of
 * `save_weights("w.h5")`) to the graph, as Keras's `load_weights_from_hdf5_group` pairs them: the file's
 * layers that have weights (`layer_names`, then each layer's `weight_names`) with the model's layers that
 * have weights, each layer's values in `trainable_weights + non_trainable_weights` order. Layers are
 * paired by name when every name matches, else by position as Keras does. Values load on first use.
 */
export function readLegacyWeights(file: H5Reader, root: string, graph: Graph): void {
  const layerNames = attrTextList(file, root, "layer_names");
  if (!layerNames) {
    throw new FormatError(`has no 'layer_names' attribute on '${root}', so it holds no Keras weights.`);
  }
  const fileLayers: FileLayer[] = [];
  for (const name of layerNames) {
    const path = join(root, name);
    if (file.kind(path) !== "group") {
      throw new FormatError(
        `lists layer '${name}' in layer_names, but has no group '${path}' for its weights. The file is incomplete.`,
      );
    }
    const weightNames = attrTextList(file, path, "weight_names") ?? [];
    if (weightNames.length) fileLayers.push({ name, weightNames });
  }
  const modelLayers = savedLayers(graph).filter((l) => legacyWeightOrder(l).length > 0);
  const byName = new Map(fileLayers.map((f) => [f.name, f]));
  const sameNames = fileLayers.length === modelLayers.length && modelLayers.every((l) => byName.has(l.name));
  if (!sameNames && fileLayers.length !== modelLayers.length) {
    throw new FormatError(
      `holds weights for ${fileLayers.length} layer(s) (${list(fileLayers.map((f) => f.name))}), but the model has ` +
        `${modelLayers.length} layer(s) with weights (${list(modelLayers.map((l) => l.name))}). The weights do not belong to this architecture.`,
    );
  }
  modelLayers.forEach((layer, i) =>
    attachLayer(file, root, layer, sameNames ? byName.get(layer.name)! : fileLayers[i]!),
  );
  const top = join(root, "top_level_model_weights");
  if (file.kind(top) === "group" && (attrTextList(file, top, "weight_names") ?? []).length) {
    throw new FormatError(
      `has model-level weights ('${top}'), which only subclassed models have; kerasgraph reads functional models.`,
    );
  }
}

function attachLayer(file: H5Reader, root: string, layer: Layer, saved: FileLayer): void {
  const refs = legacyWeightOrder(layer);
  const group = join(root, saved.name);
  if (saved.weightNames.length !== refs.length) {
    throw new FormatError(
      `layer '${layer.name}' (${layer.className}) has ${refs.length} weight(s) (${list(refs.map((r) => `${r.layer.name}/${r.weight.name}`))}), ` +
        `but the file's group '${group}' holds ${saved.weightNames.length} (${list(saved.weightNames)}). The weights do not belong to this architecture.`,
    );
  }
  refs.forEach((ref, i) => {
    const path = join(group, saved.weightNames[i]!);
    if (file.kind(path) !== "dataset") {
      throw new FormatError(
        `layer '${layer.name}': weight_names lists '${saved.weightNames[i]}', but '${path}' is not a dataset in the file.`,
      );
    }
    attachWeight(ref, file.dataset(path), `'${path}'`);
  });
}

/** The optimizer's variables of a full-model file (`optimizer_weights`, Keras 2 and 3), if it saved them. */
export function readLegacyOptimizer(file: H5Reader, kerasVersion: string | undefined): OptimizerState | undefined {
  if (file.kind("/optimizer_weights") !== "group") return undefined;
  const names = attrTextList(file, "/optimizer_weights", "weight_names") ?? [];
  const variables = names.map((name: string) => {
    const path = join("/optimizer_weights", name);
    if (file.kind(path) !== "dataset")
      throw new FormatError(`optimizer_weights lists '${name}', but '${path}' is not a dataset.`);
    return { name, data: file.dataset(path) };
  });
  if (!variables.length) return undefined;
  return { name: names[0]!.split("/")[0]!, variables, keras3: /^3\./.test(kerasVersion ?? "") };
}

export interface LegacyWriteStyle {
  /** "keras3": Keras 3's `legacy_h5_format` (`dense/kernel`); "keras2": tf.keras 2.4-2.15's (`dense/kernel:0`). */
  dialect: "keras3" | "keras2";
  kerasVersion: string;
  backend: string;
}

/**
 * Writes the weights as `save_weights_to_hdf5_group` does: `layer_names` (every layer of `model.layers`),
 * one group per layer (created in name order) with `weight_names` = each variable's path and the
 * datasets under those paths, and an empty `top_level_model_weights` (model-level weights of subclassed models).
 */
export function writeLegacyWeights(file: H5File, root: string, graph: Graph, style: LegacyWriteStyle): void {
  if (root !== "/") ensureGroup(file, root);
  const layers = savedLayers(graph);
  const keras2 = style.dialect === "keras2";
  const scopes = sequentialScopes(graph);
  writeTextListAttr(
    file,
    root,
    "layer_names",
    layers.map((l) => l.name),
  );
  writeTextAttr(file, root, "backend", style.backend, "ascii");
  writeTextAttr(file, root, "keras_version", style.kerasVersion, "ascii");
  for (const layer of [...layers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const group = join(root, layer.name);
    ensureGroup(file, group);
    const refs = legacyWeightOrder(layer);
    const names = uniqueNames(
      refs.map(
        (r) => `${keras2 ? "" : (scopes.get(r.layer) ?? "")}${r.layer.name}/${r.weight.name}${keras2 ? ":0" : ""}`,
      ),
    );
    writeTextListAttr(file, group, "weight_names", names);
    refs.forEach((ref, i) => {
      const data = ref.layer.values.get(ref.weight.name);
      if (!data) {
        throw new FormatError(
          `layer '${ref.layer.name}' (${ref.layer.className}) has no value for weight '${ref.weight.name}'; the HDF5 file needs every weight. ` +
            `Read the model from a file with weights (.keras, .h5, or ARCH.json with its weights file).`,
        );
      }
      if (data.shape.length !== ref.weight.shape.length || data.shape.some((d, k) => d !== ref.weight.shape[k])) {
        throw new FormatError(
          `layer '${ref.layer.name}': the value of weight '${ref.weight.name}' has shape ${shapeText(data.shape)}, the layer expects ${shapeText(ref.weight.shape)}.`,
        );
      }
      writeNamedDataset(file, group, names[i]!, data);
    });
  }
  const top = join(root, "top_level_model_weights");
  ensureGroup(file, top);
  writeTextListAttr(file, top, "weight_names", []);
}

/** `optimizer_weights` at the file's root: the optimizer's variables under their names. */
export function writeLegacyOptimizer(file: H5File, optimizer: OptimizerState, style: LegacyWriteStyle): void {
  if (!optimizer.variables.length) return;
  ensureGroup(file, "/optimizer_weights");
  const names = uniqueNames(
    optimizer.variables.map((v) => (/^\d+$/.test(v.name) ? `${optimizer.name}/${v.name}` : v.name)),
  );
  writeTextListAttr(file, "/optimizer_weights", "weight_names", names);
  optimizer.variables.forEach((v, i) => writeNamedDataset(file, "/optimizer_weights", names[i]!, v.data));
}

/** `group.create_dataset("dense/kernel", ...)`: h5py creates the intermediate groups. */
function writeNamedDataset(file: H5File, group: string, name: string, data: WeightData): void {
  const path = join(group, name);
  const parent = path.slice(0, path.lastIndexOf("/"));
  if (parent && parent !== group) ensureGroup(file, parent);
  const wasLoaded = data.loaded;
  writeDataset(file, path, data);
  if (!wasLoaded) data.release();
}

/**
 * Keras 3 names a variable by the name scopes open when its layer was first built: a Sequential model
 * builds its layers inside its own `build`, so their variables are `sequential/dense/kernel`; layers of a
 * functional model are built as they are called, outside any model (`dense/kernel`).
 */
function sequentialScopes(graph: Graph): Map<Layer, string> {
  const scopes = new Map<Layer, string>();
  const visit = (g: Graph) => {
    for (const layer of g.layers) {
      if (g.className === "Sequential") scopes.set(layer, `${g.name}/`);
      if (layer.subgraph) visit(layer.subgraph);
    }
  };
  visit(graph);
  return scopes;
}

/** Two variables with one path (layers of nested models sharing a name) get `_1`, `_2`: Keras loads by position. */
function uniqueNames(names: string[]): string[] {
  const seen = new Set<string>();
  return names.map((n) => {
    let name = n;
    for (let k = 1; seen.has(name); k++) name = n.replace(/(:0)?$/, `_${k}$1`);
    seen.add(name);
    return name;
  });
}

function join(root: string, name: string): string {
  return root === "/" || root === "" ? `/${name}` : `${root.replace(/\/$/, "")}/${name}`;
}

function list(names: string[]): string {
  return names.length > 8
    ? `${names.slice(0, 8).join(", ")}, ... ${names.length - 8} more`
    : names.join(", ") || "none";
}
