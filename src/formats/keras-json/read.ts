import { callLayer } from "../../ir/build.js";
import { FormatError, GraphError, KerasGraphError, LimitError } from "../../ir/errors.js";
import type { ArgTree, LayerMeta, Tensor } from "../../ir/graph.js";
import { Graph, Layer, mapArgTree } from "../../ir/graph.js";
import type { KindResolver } from "../../ir/kind.js";
import { validateGraph } from "../../ir/validate.js";
import { defaultRegistry, type LayerRegistry } from "../../layers/registry.js";
import { checkDeclaredWeights } from "../limits.js";
import { nestedNodeOffset, type RefSite } from "./node-numbering.js";
import {
  PRESERVES_INPUT_STRUCTURE,
  decodeIO,
  decodeNode,
  isRef,
  nodeRefs,
  type Dialect,
  type NodeData,
  type TensorRef,
} from "./node-refs.js";
import { isObject, parseJsonText, unwrapModel, type Json, type ModelEnvelope } from "./parse.js";
import { readSequential } from "./read-sequential.js";

export interface ReadOptions {
  /** The file the JSON came from, named in every error. */
  file?: string;
  /** Layer kinds to use (custom layers registered on it); the built-in catalog by default. */
  registry?: LayerRegistry;
  /** How deep models may nest inside models before the input is refused (default 32). */
  maxDepth?: number;
}

export interface ReadContext {
  resolve: KindResolver;
  maxDepth: number;
}

const MODEL_CLASSES = new Set(["Functional", "Model", "Sequential"]);

/**
 * Reads a Keras model config — Keras 3 or Keras 2 / tf.keras dialect, Functional, Sequential (also
 * Keras 1's list-style config) or a custom functional-like class — into the IR, with every shape and
 * weight computed as Keras would when rebuilding the model (`functional_from_config`).
 */
export function readKerasJson(json: unknown, options: ReadOptions = {}): Graph {
  const registry = options.registry ?? defaultRegistry;
  try {
    const value = typeof json === "string" ? parseJsonText(json, options.file) : json;
    const model = unwrapModel(value, options.file);
    const graph = readModel(model, { resolve: registry.resolver(options.file), maxDepth: options.maxDepth ?? 32 }, 0);
    checkDeclaredWeights(graph, options.file);
    graph.envelope = model.envelope;
    return graph;
  } catch (e) {
    if (e instanceof KerasGraphError && options.file) throw e.inFile(options.file);
    throw e;
  }
}

/** True when a layer entry is itself a model (nested Functional, Model or Sequential). */
export function isModelEntry(className: string, config: unknown): boolean {
  if (MODEL_CLASSES.has(className)) return true;
  if (Array.isArray(config)) return false;
  return isObject(config) && Array.isArray(config.layers) && "output_layers" in config && "input_layers" in config;
}

export function readModel(model: ModelEnvelope, ctx: ReadContext, depth: number): Graph {
  if (depth > ctx.maxDepth) {
    throw new LimitError(`models nest more than ${ctx.maxDepth} levels deep; raise maxDepth if this is intended.`);
  }
  const { className, config } = model;
  if (className === "Sequential" || Array.isArray(config)) return readSequential(className, config, ctx, depth);
  if (!isModelEntry(className, config) || !isObject(config)) {
    throw new FormatError(
      `model class '${className}' has no functional config (layers, input_layers, output_layers); ` +
        `subclassed models cannot be read from their config. Received config keys: ${isObject(config) ? Object.keys(config).join(", ") : typeof config}`,
    );
  }
  return readFunctional(className, config, ctx, depth);
}

/** Builds a Layer from one entry of a model's `layers` list (nested models read recursively). */
export function layerFromEntry(
  entry: unknown,
  index: number,
  ctx: ReadContext,
  depth: number,
  modelName: string,
): Layer {
  if (!isObject(entry) || typeof entry.class_name !== "string") {
    throw new FormatError(
      `model '${modelName}': layer entry ${index} needs a "class_name". Received: ${JSON.stringify(entry)?.slice(0, 120)}`,
    );
  }
  const { class_name, config, name, inbound_nodes, module, registered_name, build_config, ...extra } = entry;
  const cfg = config ?? {};
  if (!isObject(cfg) && !Array.isArray(cfg)) {
    throw new FormatError(
      `model '${modelName}': layer entry ${index} ('${class_name}') has a config that is not an object. Received: ${JSON.stringify(cfg).slice(0, 80)}`,
    );
  }
  const layerName =
    typeof name === "string" ? name : isObject(cfg) && typeof cfg.name === "string" ? cfg.name : undefined;
  if (!layerName) throw new FormatError(`model '${modelName}': layer entry ${index} ('${class_name}') has no name.`);
  const meta: LayerMeta = {};
  if (module !== undefined) meta.module = module as string | null;
  if (registered_name !== undefined) meta.registeredName = registered_name as string | null;
  if (build_config !== undefined) meta.buildConfig = build_config;
  if (Object.keys(extra).length) meta.extra = extra;
  void inbound_nodes;
  const layer = new Layer(class_name, layerName, (Array.isArray(cfg) ? { layers: cfg } : cfg) as Json, meta);
  if (isModelEntry(class_name, cfg)) {
    layer.subgraph = readModel({ className: class_name, config: cfg, envelope: {} }, ctx, depth + 1);
  }
  return layer;
}

/** The call a reference names: its node index less the nested-model offset (node-numbering.ts). */
function callIndex(layer: Layer, node: number, dialect: Dialect, site: RefSite): number {
  const index = node - nestedNodeOffset(layer, dialect, site);
  return index >= 0 ? index : node;
}

function readFunctional(className: string, config: Json, ctx: ReadContext, depth: number): Graph {
  const name = typeof config.name === "string" ? config.name : "model";
  const graph = new Graph(name, className === "Model" ? "Functional" : className);
  const { layers: entries, input_layers, output_layers, name: _n, ...rest } = config;
  void _n;
  graph.config = rest;
  if (!Array.isArray(entries)) throw new FormatError(`model '${name}': "layers" must be a list.`);
  const pending = new Map<Layer, NodeData[]>();
  let dialect: Dialect = "keras2";
  const byName = new Map<string, Layer>();
  entries.forEach((entry, i) => {
    const layer = layerFromEntry(entry, i, ctx, depth, name);
    if (byName.has(layer.name)) {
      throw new GraphError(`model '${name}': two layers are named '${layer.name}'; layer names must be unique.`);
    }
    byName.set(layer.name, layer);
    graph.addLayer(layer);
  });
  entries.forEach((entry, i) => {
    const layer = graph.layers[i]!;
    const nodes = (entry as Json).inbound_nodes ?? [];
    if (!Array.isArray(nodes)) throw new FormatError(`layer '${layer.name}': "inbound_nodes" must be a list.`);
    if ("module" in (entry as Json)) dialect = "keras3";
    const preserve = PRESERVES_INPUT_STRUCTURE.has(layer.className);
    const decoded = nodes.map((n, k) =>
      decodeNode(n, `layer '${layer.name}' inbound node ${k}`, (s) => byName.has(s), preserve),
    );
    if (decoded.some((d) => d.dialect === "keras3")) dialect = "keras3";
    if (layer.className === "InputLayer" && decoded.length === 0) callLayer(layer, [], {}, ctx.resolve);
    else if (decoded.length) pending.set(layer, decoded);
  });

  const lookup = (ref: TensorRef, d: Dialect, site: "inbound" | "io", reader: string): Tensor | null => {
    const source = byName.get(ref.layer);
    if (!source) {
      throw new GraphError(
        `${reader} reads from layer '${ref.layer}', which is not in model '${name}'. Received: ${JSON.stringify([ref.layer, ref.node, ref.tensor])}`,
      );
    }
    const call = source.calls[callIndex(source, ref.node, d, site)];
    if (!call) return null;
    const t = call.outputs[ref.tensor];
    if (!t) {
      throw new GraphError(
        `${reader} reads output ${ref.tensor} of layer '${ref.layer}' (node ${ref.node}), which has only ${call.outputs.length} output(s).`,
      );
    }
    return t;
  };

  // Keras's functional_from_config: rounds over the layer list; a call waits while its inputs don't exist.
  while (pending.size) {
    let progress = false;
    for (const layer of graph.layers) {
      const queue = pending.get(layer);
      if (!queue) continue;
      while (queue.length) {
        const node = queue[0]!;
        const reader = `layer '${layer.name}' (call ${layer.calls.length})`;
        if (nodeRefs(node).some((r) => lookup(r, node.dialect, "inbound", reader) === null)) break;
        const resolveTree = (tree: unknown) =>
          mapArgTree(tree, (r: TensorRef) => lookup(r, node.dialect, "inbound", reader)!, isRef);
        callLayer(
          layer,
          resolveTree(node.args) as ArgTree<Tensor>[],
          resolveTree(node.kwargs) as Record<string, ArgTree<Tensor>>,
          ctx.resolve,
        );
        queue.shift();
        progress = true;
      }
      if (!queue.length) pending.delete(layer);
    }
    if (!progress) throw new GraphError(stuckMessage(name, pending, byName, callIndex));
  }

  const io = (value: unknown, what: string): { tensors: Tensor[]; structure: Graph["inputStructure"] } => {
    const { refs, structure } = decodeIO(value, `model '${name}' ${what}`);
    const tensors = refs.map((r) => {
      const t = lookup(r, dialect, "io", `model '${name}' ${what}`);
      if (!t)
        throw new GraphError(
          `model '${name}' ${what} names node ${r.node} of layer '${r.layer}', which does not exist.`,
        );
      return t;
    });
    return { tensors, structure };
  };
  const ins = io(input_layers, "input_layers");
  const outs = io(output_layers, "output_layers");
  graph.inputs = ins.tensors;
  graph.inputStructure = ins.structure;
  graph.outputs = outs.tensors;
  graph.outputStructure = outs.structure;
  validateGraph(graph);
  return graph;
}

function stuckMessage(
  model: string,
  pending: Map<Layer, NodeData[]>,
  byName: Map<string, Layer>,
  index: typeof callIndex,
): string {
  const waits: string[] = [];
  for (const [layer, nodes] of pending) {
    const missing = nodeRefs(nodes[0]!).filter((r) => {
      const src = byName.get(r.layer);
      return !src || !src.calls[index(src, r.node, nodes[0]!.dialect, "inbound")];
    });
    waits.push(`'${layer.name}' waits for ${missing.map((r) => `'${r.layer}' node ${r.node}`).join(", ")}`);
  }
  return (
    `model '${model}': the layers cannot be connected — the graph has a cycle or reads calls that never exist: ` +
    waits.slice(0, 8).join("; ") +
    (waits.length > 8 ? `; and ${waits.length - 8} more` : "")
  );
}
