import { FormatError } from "../../ir/errors.js";
import type { Graph } from "../../ir/graph.js";
import type { OptimizerVariable } from "../../ir/weights.js";
import { attrText, type H5Reader } from "../hdf5/reader.js";
import { H5Tree } from "../hdf5/writer.js";
import { attachWeight, valueToWrite } from "../weight-values.js";
import { type ClassNameOf, type VarsGroup, kerasVarsGroups } from "./saveables.js";

const MEMBER = "model.weights.h5";

/**
 * Reads a `.keras` archive's `model.weights.h5` into the graph's layers, group by group as Keras's
 * `_load_state` does (by attribute path, not layer name), plus the optimizer's variables. Every weight
 * the model has must be there with its shape, and every weight the file holds must belong to a layer.
 */
export function readKerasWeights(file: H5Reader, graph: Graph, classNameOf?: ClassNameOf): void {
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
        `layer '${owner.name}' (${owner.className}): ${MEMBER} has no group '${g.path}/vars' for its weights (${names}). ` +
          `The weights file does not match the model's config.`,
      );
    }
    const keys = file.children(at);
    if (keys.length !== g.vars.length || g.vars.some((_, i) => !keys.includes(String(i)))) {
      throw new FormatError(
        `layer '${owner.name}' (${owner.className}): ${MEMBER} '${at}' holds ${keys.length} variable(s), ` +
          `but the layer has ${g.vars.length} (${names}). The weights file does not match the model's config.`,
      );
    }
    g.vars.forEach((ref, i) => attachWeight(ref, file.dataset(`${at}/${i}`), `${MEMBER} '${at}/${i}'`));
    consumed.add(at);
  }
  rejectUnclaimed(file, consumed);
  readOptimizer(file, graph);
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
function rejectUnclaimed(file: H5Reader, consumed: Set<string>): void {
  const tops = ["layers", "_layer_checkpoint_dependencies"].filter((t) => file.kind(`/${t}`) === "group");
  const groups = tops.flatMap((t) => allVarsGroups(file, t));
  if (file.kind("/vars") === "group") groups.push("vars");
  for (const path of groups) {
    const count = file.children(path).length;
    if (consumed.has(path) || count === 0) continue;
    const name = attrText(file, `/${path}`, "name");
    throw new FormatError(
      `${MEMBER} holds ${count} weight(s) at '${path}'${name ? ` (object '${name}')` : ""} that no layer of the model has. ` +
        `The weights file does not match the model's config.`,
    );
  }
}

/** Groups a walk visits at most: HDF5 links can form cycles, or reach one group from many places. */
const MAX_WALK = 100_000;

function allVarsGroups(file: H5Reader, top: string): string[] {
  const out: string[] = [];
  let visited = 0;
  const walk = (path: string, depth: number) => {
    if (depth > 64 || ++visited > MAX_WALK) {
      throw new FormatError(
        `${MEMBER}'s groups nest deeper than 64 levels or number over ${MAX_WALK} along their links (a cycle?). Received: '${path.slice(0, 200)}'`,
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

function readOptimizer(file: H5Reader, graph: Graph): void {
  if (file.kind("/optimizer/vars") !== "group") return;
  const keys = file.children("optimizer/vars");
  const variables: OptimizerVariable[] = [];
  for (let i = 0; i < keys.length; i++) {
    if (!keys.includes(String(i))) {
      throw new FormatError(
        `${MEMBER} 'optimizer/vars' is missing variable ${i} of ${keys.length}. Received: ${keys.join(", ")}`,
      );
    }
    variables.push({ name: String(i), data: file.dataset(`optimizer/vars/${i}`) });
  }
  graph.optimizer = { name: attrText(file, "/optimizer/vars", "name") ?? "optimizer", variables, keras3: true };
}

/**
 * Lays out the graph's weights as Keras's `_save_state` writes `model.weights.h5`: a `vars` group for
 * every object it visits (tagged with the object's name), `vars/<i>` in the object's variable order,
 * then `optimizer/vars/<i>` when Keras 3 can load the optimizer state back.
 */
export function kerasWeightsTree(graph: Graph, classNameOf?: ClassNameOf): H5Tree {
  const tree = new H5Tree();
  for (const g of kerasVarsGroups(graph, classNameOf)) {
    const vars = g.path ? `${g.path}/vars` : "vars";
    tree.group(vars);
    tree.attr(vars, "name", { kind: "text", value: g.name, cset: "utf8" });
    g.vars.forEach((ref, i) => tree.dataset(`${vars}/${i}`, valueToWrite(ref, "a .keras archive")));
  }
  const opt = graph.optimizer;
  if (opt?.keras3 && opt.variables.length) {
    tree.group("optimizer/vars");
    tree.attr("optimizer/vars", "name", { kind: "text", value: opt.name, cset: "utf8" });
    opt.variables.forEach((v, i) => tree.dataset(`optimizer/vars/${i}`, v.data));
  }
  return tree;
}
