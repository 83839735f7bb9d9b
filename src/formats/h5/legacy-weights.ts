import { FormatError } from "../../ir/errors.js";
import type { Graph, Layer } from "../../ir/graph.js";
import type { OptimizerState } from "../../ir/weights.js";
import { attrTextList, type H5Reader } from "../hdf5/reader.js";
import type { H5Tree } from "../hdf5/writer.js";
import { attachWeight, legacyWeightOrder, savedLayers, valueToWrite } from "../weight-values.js";

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
 * Lays out the weights as `save_weights_to_hdf5_group` does: `layer_names` (every layer of
 * `model.layers`), one group per layer with `weight_names` = each variable's path and the datasets under
 * those paths, and an empty `top_level_model_weights` (model-level weights of subclassed models).
 */
export function addLegacyWeights(tree: H5Tree, root: string, graph: Graph, style: LegacyWriteStyle): void {
  tree.group(root);
  const layers = savedLayers(graph);
  const keras2 = style.dialect === "keras2";
  const scopes = sequentialScopes(graph);
  setNameList(
    tree,
    root,
    "layer_names",
    layers.map((l) => l.name),
  );
  tree.attr(root, "backend", { kind: "text", value: style.backend, cset: "ascii" });
  tree.attr(root, "keras_version", { kind: "text", value: style.kerasVersion, cset: "ascii" });
  for (const layer of layers) {
    const group = join(root, layer.name);
    tree.group(group);
    const refs = legacyWeightOrder(layer);
    const prefix = (ref: (typeof refs)[number]) => (keras2 ? "" : (scopes.get(ref.layer) ?? ""));
    const names = uniqueNames(refs.map((r) => `${prefix(r)}${r.layer.name}/${r.weight.name}${keras2 ? ":0" : ""}`));
    setNameList(tree, group, "weight_names", names);
    refs.forEach((ref, i) => tree.dataset(join(group, names[i]!), valueToWrite(ref, "the HDF5 file")));
  }
  const top = join(root, "top_level_model_weights");
  tree.group(top);
  setNameList(tree, top, "weight_names", []);
}

/** `optimizer_weights` at the file's root: the optimizer's variables under their names. */
export function addLegacyOptimizer(tree: H5Tree, optimizer: OptimizerState): void {
  if (!optimizer.variables.length) return;
  const names = uniqueNames(
    optimizer.variables.map((v) => (/^\d+$/.test(v.name) ? `${optimizer.name}/${v.name}` : v.name)),
  );
  tree.group("/optimizer_weights");
  setNameList(tree, "/optimizer_weights", "weight_names", names);
  optimizer.variables.forEach((v, i) => tree.dataset(join("/optimizer_weights", names[i]!), v.data));
}

/** Keras's HDF5_OBJECT_HEADER_LIMIT, measured as NumPy would: items × the longest item. */
const HEADER_LIMIT = 64512;

/**
 * A list of names as `save_attributes_to_hdf5_group` stores it: variable-length ASCII strings (h5py
 * given a list of bytes), NumPy's empty float64 array for an empty list, and past the header limit
 * `name0..N` chunks, which NumPy makes fixed-length strings (`np.array_split`).
 */
export function setNameList(tree: H5Tree, path: string, name: string, values: string[]): void {
  if (!values.length) {
    tree.attr(path, name, { kind: "empty" });
    return;
  }
  const width = Math.max(...values.map((v) => new TextEncoder().encode(v).length));
  let n = 1;
  while (Math.ceil(values.length / n) * width > HEADER_LIMIT && n < values.length) n++;
  if (n === 1) {
    tree.attr(path, name, { kind: "texts", values });
    return;
  }
  const base = Math.floor(values.length / n);
  const extra = values.length % n;
  for (let i = 0, at = 0; i < n; i++) {
    const size = base + (i < extra ? 1 : 0);
    tree.attr(path, `${name}${i}`, { kind: "texts", values: values.slice(at, at + size), fixed: true });
    at += size;
  }
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
