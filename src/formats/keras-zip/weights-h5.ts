import { FormatError } from "../../ir/errors.js";
import type { Graph } from "../../ir/graph.js";
import type { OptimizerVariable, WeightData } from "../../ir/weights.js";
import { attrText, type H5Reader } from "../hdf5/reader.js";
import { H5Tree } from "../hdf5/writer.js";
import { attachWeight, inWeightOrder, valueToWrite } from "../weight-values.js";
import { type ClassNameOf, type VarsGroup, kerasVarsGroups } from "./saveables.js";

const MEMBER = "model.weights.h5";

/**
 * Reads a `.keras` archive's `model.weights.h5` into the graph's layers, group by group as Keras's
 * `_load_state` does (by attribute path, not layer name), plus the optimizer's variables. Every weight
 * the model has must be there with its shape, and every weight the file holds must belong to a layer.
 * `source` names what is read in messages (a sharded manifest's shards read as one file).
 */
export function readKerasWeights(file: H5Reader, graph: Graph, classNameOf?: ClassNameOf, source = MEMBER): void {
  const groups = kerasVarsGroups(graph, classNameOf);
  const consumed = new Set<string>();
  const byLayerRoot = new Map<unknown, string>();
  for (const g of groups) if (g.layer && !g.chain.length && !byLayerRoot.has(g.layer)) byLayerRoot.set(g.layer, g.path);
  for (const g of groups) {
    if (!g.vars.length) continue;
    const at = locateVars(file, g, byLayerRoot.get(g.layer));
    const owner = g.layer!;
    const names = g.vars.map((v) => v.weight.name).join(", ");
    if (!at) {
      throw new FormatError(
        `layer '${owner.name}' (${owner.className}): ${source} has no group '${g.path}/vars' for its weights (${names}). ` +
          `The weights file does not match the model's config.`,
      );
    }
    const keys = file.children(at);
    const missing = g.vars.flatMap((v, i) => (keys.includes(String(i)) ? [] : [`${i} (${v.weight.name})`]));
    if (keys.length !== g.vars.length || missing.length) {
      throw new FormatError(
        `layer '${owner.name}' (${owner.className}): ${source} '${at}' holds ${keys.length} variable(s), ` +
          `but the layer has ${g.vars.length} (${names})${missing.length ? `; missing: ${missing.join(", ")}` : ""}. ` +
          `The weights file does not match the model's config.`,
      );
    }
    g.vars.forEach((ref, i) => attachWeight(ref, file.dataset(`${at}/${i}`), `${source} '${at}/${i}'`));
    consumed.add(at);
  }
  rejectUnclaimed(file, consumed, source);
  // Groups come in Keras's visiting order (a Bidirectional's backward_layer before its forward_layer);
  // values are kept in the layer's weight order, that of Keras's get_weights().
  for (const layer of new Set(groups.flatMap((g) => (g.layer ? [g.layer] : [])))) inWeightOrder(layer);
  readOptimizer(file, graph, source);
}

/**
 * Where a group's variables are: its attribute path; in tf.keras 2.13-2.15 archives, under
 * `_layer_checkpoint_dependencies` (`H5IOStore.get`'s fallback); otherwise the sublayer whose `vars`
 * carry the expected `name` (archives whose attribute names differ from this Keras's).
 */
function locateVars(file: H5Reader, g: VarsGroup, layerRoot: string | undefined): string | null {
  const candidates = [`${g.path}/vars`, `${g.path.replaceAll("layers", "_layer_checkpoint_dependencies")}/vars`];
  if (g.chain.length) {
    const last = g.path.split("/").pop()!;
    const parent = g.path.slice(0, -last.length);
    candidates.push(`${parent}${last.startsWith("_") ? last.slice(1) : `_${last}`}/vars`);
  }
  for (const c of candidates) if (file.kind(`/${c}`) === "group") return c;
  if (layerRoot === undefined || !g.chain.length) return null;
  let at = layerRoot;
  for (const name of g.chain) {
    if (file.kind(`/${at}`) !== "group") return null;
    const next = file
      .children(at)
      .find(
        (child) =>
          child !== "vars" &&
          file.kind(`/${at}/${child}/vars`) === "group" &&
          attrText(file, `/${at}/${child}/vars`, "name") === name,
      );
    if (!next) return null;
    at = `${at}/${next}`;
  }
  return `${at}/vars`;
}

/** A `vars` group with values that no layer read means the model lacks weights the file has. */
function rejectUnclaimed(file: H5Reader, consumed: Set<string>, source: string): void {
  const tops = ["layers", "_layer_checkpoint_dependencies"].filter((t) => file.kind(`/${t}`) === "group");
  const groups = tops.flatMap((t) => allVarsGroups(file, t, source));
  if (file.kind("/vars") === "group") groups.push("vars");
  for (const path of groups) {
    const count = file.children(path).length;
    if (consumed.has(path) || count === 0) continue;
    const name = attrText(file, `/${path}`, "name");
    throw new FormatError(
      `${source} holds ${count} weight(s) at '${path}'${name ? ` (object '${name}')` : ""} that no layer of the model has. ` +
        `The weights file does not match the model's config.`,
    );
  }
}

/** Groups a walk visits at most: HDF5 links can form cycles, or reach one group from many places. */
const MAX_WALK = 100_000;

function allVarsGroups(file: H5Reader, top: string, source: string): string[] {
  const out: string[] = [];
  let visited = 0;
  const walk = (path: string, depth: number) => {
    if (depth > 64 || ++visited > MAX_WALK) {
      throw new FormatError(
        `${source}'s groups nest deeper than 64 levels or number over ${MAX_WALK} along their links (a cycle?). Received: '${path.slice(0, 200)}'`,
      );
    }
    for (const child of file.children(path)) {
      const p = `${path}/${child}`;
      if (file.kind(`/${p}`) !== "group") continue;
      if (child === "vars") out.push(p);
      else walk(p, depth + 1);
    }
  };
  walk(top, 0);
  return out;
}

function readOptimizer(file: H5Reader, graph: Graph, source: string): void {
  if (file.kind("/optimizer/vars") !== "group") return;
  const keys = file.children("optimizer/vars");
  const variables: OptimizerVariable[] = [];
  for (let i = 0; i < keys.length; i++) {
    if (!keys.includes(String(i))) {
      throw new FormatError(
        `${source} 'optimizer/vars' is missing variable ${i} of ${keys.length}. Received: ${keys.join(", ")}`,
      );
    }
    variables.push({ name: String(i), data: file.dataset(`optimizer/vars/${i}`) });
  }
  graph.optimizer = { name: attrText(file, "/optimizer/vars", "name") ?? "optimizer", variables, keras3: true };
}

/** One `vars` group as Keras's `_save_state` writes it: its HDF5 path, the object's name, its values in order. */
export interface VarsEntry {
  vars: string;
  name: string;
  values: WeightData[];
  /** Each value's owner, for messages: "layer 'dense' (Dense) weight 'kernel'". */
  labels: string[];
}

/**
 * The `vars` groups Keras's `_save_state` writes for the graph, in its order: one for every object it
 * visits (tagged with the object's name), `vars/<i>` in the object's variable order, then
 * `optimizer/vars/<i>` when Keras 3 can load the optimizer state back. `file` names the output in the
 * message for a weight without a value.
 */
export function kerasVarsEntries(graph: Graph, classNameOf?: ClassNameOf, file = "a .keras archive"): VarsEntry[] {
  const out = kerasVarsGroups(graph, classNameOf).map((g) => ({
    vars: g.path ? `${g.path}/vars` : "vars",
    name: g.name,
    values: g.vars.map((ref) => valueToWrite(ref, file)),
    labels: g.vars.map(({ layer, weight }) => `layer '${layer.name}' (${layer.className}) weight '${weight.name}'`),
  }));
  const opt = graph.optimizer;
  if (opt?.keras3 && opt.variables.length) {
    const values = opt.variables.map((v) => v.data);
    out.push({
      vars: "optimizer/vars",
      name: opt.name,
      values,
      labels: values.map((_, i) => `optimizer variable ${i}`),
    });
  }
  return out;
}

/** Lays out the graph's weights as Keras's `_save_state` writes `model.weights.h5` (or a `.weights.h5`). */
export function kerasWeightsTree(graph: Graph, classNameOf?: ClassNameOf, file?: string): H5Tree {
  const tree = new H5Tree();
  for (const { vars, name, values } of kerasVarsEntries(graph, classNameOf, file)) {
    tree.group(vars);
    tree.attr(vars, "name", { kind: "text", value: name, cset: "utf8" });
    values.forEach((data, i) => tree.dataset(`${vars}/${i}`, data));
  }
  return tree;
}
