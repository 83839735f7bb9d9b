/**
 * What Keras 3's `model_to_dot` draws, worked out from a model's saved config alone (model.json as
 * `model.to_json()` wrote it), independently of kerasgraph's IR: the nodes (one per layer of
 * `Sequential.layers` / `Functional._operations`, nested models opened into clusters with
 * `expand_nested`) and the edges (one per distinct producer → consumer pair of each model, nested
 * models resolved to the layer inside that makes the output or takes the input). Names are paths:
 * `encoder/conv2d` for a layer inside the expanded model `encoder`.
 */
interface LayerEntry {
  class_name: string;
  config: ModelConfig & { name: string };
  inbound_nodes?: unknown[];
}
interface ModelConfig {
  name: string;
  layers: LayerEntry[];
  input_layers?: unknown;
  output_layers?: unknown;
}
type History = [string, number, number];

export interface DotReference {
  nodes: string[];
  edges: string[];
}

const isNested = (l: LayerEntry) => ["Functional", "Sequential", "Model"].includes(l.class_name);

export function kerasDotReference(model: { class_name: string; config: ModelConfig }, expand: boolean): DotReference {
  const out: DotReference = { nodes: [], edges: [] };
  walk(model.class_name, model.config, "", expand, out);
  return out;
}

function drawnLayers(className: string, config: ModelConfig): LayerEntry[] {
  return className === "Sequential" && config.layers[0]?.class_name === "InputLayer"
    ? config.layers.slice(1)
    : config.layers;
}

function walk(className: string, config: ModelConfig, path: string, expand: boolean, out: DotReference): void {
  const at = (name: string) => (path ? `${path}/${name}` : name);
  const layers = drawnLayers(className, config);
  for (const l of layers) {
    if (expand && isNested(l)) walk(l.class_name, l.config, at(l.config.name), expand, out);
    else out.nodes.push(at(l.config.name));
  }
  const edges = new Set<string>();
  const add = (a: string, b: string) => {
    const e = `${a} -> ${b}`;
    if (!edges.has(e)) out.edges.push(e);
    edges.add(e);
  };
  if (className === "Sequential") {
    // A Sequential's config has no inbound nodes: each layer takes the one before it.
    for (let i = 0; i + 1 < layers.length; i++) {
      const [a, b] = [layers[i]!, layers[i + 1]!];
      add(
        expand ? outputLayer(a, at(a.config.name)) : at(a.config.name),
        expand ? inputLayer(b, at(b.config.name), 0) : at(b.config.name),
      );
    }
    return;
  }
  const byName = new Map(config.layers.map((l) => [l.config.name, l]));
  for (const l of layers) {
    for (const node of l.inbound_nodes ?? []) {
      histories(node).forEach(([src, , tensor], inputIndex) => {
        const source = byName.get(src)!;
        if (!expand) return add(at(src), at(l.config.name));
        add(outputLayer(source, at(src), tensor), inputLayer(l, at(l.config.name), inputIndex));
      });
    }
  }
}

/** The layer inside (nested) models that makes output `tensor` of `layer`. */
function outputLayer(layer: LayerEntry, path: string, tensor = 0): string {
  if (!isNested(layer)) return path;
  if (layer.class_name === "Sequential") {
    const last = layer.config.layers.at(-1)!;
    return outputLayer(last, `${path}/${last.config.name}`, tensor);
  }
  const [name, , index] = ioTriples(layer.config.output_layers)[tensor]!;
  const inner = layer.config.layers.find((l) => l.config.name === name)!;
  return outputLayer(inner, `${path}/${name}`, index);
}

/** The layer inside (nested) models that takes input `index` of `layer`. */
function inputLayer(layer: LayerEntry, path: string, index: number): string {
  if (!isNested(layer)) return path;
  if (layer.class_name === "Sequential") {
    const first = drawnLayers("Sequential", layer.config)[0]!;
    return inputLayer(first, `${path}/${first.config.name}`, index);
  }
  const [name] = ioTriples(layer.config.input_layers)[index]!;
  const inner = layer.config.layers.find((l) => l.config.name === name)!;
  return inputLayer(inner, `${path}/${name}`, index);
}

/** `input_layers` / `output_layers`: one triple, a list of them, or a dict (flattened by sorted key). */
function ioTriples(value: unknown): History[] {
  if (Array.isArray(value) && typeof value[0] === "string") return [value as History];
  if (Array.isArray(value)) return value as History[];
  const record = value as Record<string, History>;
  return Object.keys(record)
    .sort()
    .map((k) => record[k]!);
}

/** The keras_history of every tensor in a call's arguments, in `tree.flatten` order (dict keys sorted). */
function histories(tree: unknown, out: History[] = []): History[] {
  if (Array.isArray(tree)) for (const v of tree) histories(v, out);
  else if (tree !== null && typeof tree === "object") {
    const record = tree as Record<string, unknown>;
    if (record.class_name === "__keras_tensor__") {
      out.push((record.config as { keras_history: History }).keras_history);
      return out;
    }
    if ("args" in record && "kwargs" in record) {
      histories(record.args, out);
      histories(record.kwargs, out);
      return out;
    }
    for (const k of Object.keys(record).sort()) histories(record[k], out);
  }
  return out;
}
