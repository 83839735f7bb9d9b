import { FormatError } from "../../ir/errors.js";
import type { ArgTree, Call, Graph, Layer } from "../../ir/graph.js";
import { Tensor, mapArgTree } from "../../ir/graph.js";
import { CALL_PARAMETERS, hasTensor } from "./build-config.js";
import { keras2LayerConfig, keras2ModelKeys } from "./keras2-compat.js";
import { NodeNumbering } from "./node-numbering.js";
import { PRESERVES_INPUT_STRUCTURE } from "./node-refs.js";
import type { Json } from "./parse.js";

/** What the Keras 2 dialect declares when the graph was not read from a Keras 2 file. */
const DEFAULT_KERAS2_VERSION = "2.15.0";

/**
 * A graph in the tf.keras 2 dialect, as `model.to_json()` of TensorFlow 2 wrote it and tfjs-layers reads
 * it: `{"class_name", "config": {"name", "layers": [{"class_name", "config", "name", "inbound_nodes"}],
 * "input_layers", "output_layers"}, "keras_version", "backend"}` with list-form inbound nodes.
 */
export function writeKeras2Model(graph: Graph): Json {
  const env = graph.envelope;
  const version =
    typeof env.keras_version === "string" && /^2\./.test(env.keras_version) ? env.keras_version : undefined;
  return {
    class_name: keras2ClassName(graph),
    config: keras2ModelConfig(graph),
    keras_version: version ?? DEFAULT_KERAS2_VERSION,
    backend: typeof env.backend === "string" && version ? env.backend : "tensorflow",
  };
}

/** Keras 2 knows Functional (TF ≥ 2.4; "Model" before) and Sequential; a custom functional class is written as Functional. */
function keras2ClassName(graph: Graph): string {
  return graph.className === "Sequential" || graph.className === "Model" ? graph.className : "Functional";
}

/** A nested model keeps the class it was read with where Keras 2 knows it ("Model" of TF < 2.4). */
function nestedClassName(layer: Layer): string {
  const known = ["Model", "Functional", "Sequential"];
  return known.includes(layer.className) ? layer.className : keras2ClassName(layer.subgraph!);
}

function keras2ModelConfig(graph: Graph): Json {
  return graph.className === "Sequential" ? sequentialConfig(graph) : functionalConfig(graph);
}

function functionalConfig(graph: Graph): Json {
  const numbering = new NodeNumbering(graph);
  const layers: Json[] = [...numbering.cutInputs.values()].map((cut) => ({
    class_name: "InputLayer",
    config: {
      batch_input_shape: [...cut.tensor.shape],
      dtype: cut.tensor.dtype,
      sparse: false,
      ragged: false,
      name: cut.name,
    },
    name: cut.name,
    inbound_nodes: [],
  }));
  for (const layer of graph.layers) layers.push(layerEntry(layer, numbering));
  // tfjs-layers iterates input_layers/output_layers as lists of triples, whatever structure Keras 3 had.
  const ref = (t: Tensor) => numbering.history(t, "keras2", "io");
  return {
    name: graph.name,
    ...keras2ModelKeys(graph.config, ["name", "layers", "input_layers", "output_layers"]),
    layers,
    input_layers: graph.inputs.map(ref),
    output_layers: graph.outputs.map(ref),
  };
}

/** tf.keras 2's Sequential `get_config`: `{"name", "layers": [InputLayer?, ...{"class_name", "config"}]}`. */
function sequentialConfig(graph: Graph): Json {
  const input = graph.inputs[0]?.layer;
  const body = graph.layers.filter((l) => l.className !== "InputLayer" || l === input);
  if (input && input.className === "InputLayer" && !body.includes(input)) body.unshift(input);
  return {
    name: graph.name,
    ...keras2ModelKeys(graph.config, ["name", "layers"]),
    layers: body.map((layer) => layerEntry(layer, null)),
  };
}

function layerEntry(layer: Layer, numbering: NodeNumbering | null): Json {
  if (layer.isOperation) {
    throw new FormatError(
      `layer '${layer.name}' is the Keras 3 operation ${String(layer.meta.module)}.${layer.className} (from an expression ` +
        `such as x + 3 in a functional model); the Keras 2 dialect has no operations. Write the Keras 3 dialect instead.`,
    );
  }
  const entry: Json = layer.subgraph
    ? { class_name: nestedClassName(layer), config: keras2ModelConfig(layer.subgraph) }
    : { class_name: layer.className, config: keras2LayerConfig(layer) };
  if (!numbering) return entry;
  entry.name = layer.name;
  entry.inbound_nodes = numbering
    .callsOf(layer)
    .filter((c) => c.inputs.length > 0)
    .map((c) => inboundNode(c, numbering));
  return entry;
}

/**
 * tf.keras 2's `Node.serialize`: one `[layer, node, tensor, kwargs]` per tensor of the first positional
 * argument; further positional arguments become keyword arguments under `call()`'s parameter names, and
 * tensors inside keyword arguments are written as `[layer, node, tensor]`.
 */
function inboundNode(call: Call, numbering: NodeNumbering): unknown[] {
  const layer = call.layer;
  const ref = (t: Tensor) => numbering.history(t, "keras2", "inbound");
  const kwargs: Json = {};
  const params = CALL_PARAMETERS[layer.className];
  call.args.slice(1).forEach((arg, i) => {
    const name = params?.[i + 1];
    if (!name) {
      throw new FormatError(
        `layer '${layer.name}' (${layer.className}) is called with ${call.args.length} positional arguments; ` +
          `the Keras 2 dialect writes only the first one and the rest by parameter name, which kerasgraph does not know ` +
          `for this class. Write the Keras 3 dialect instead.`,
      );
    }
    kwargs[name] = mapArgTree(arg, ref);
  });
  for (const [k, v] of Object.entries(call.kwargs)) kwargs[k] = mapArgTree(v, ref);
  const first = call.args[0];
  if (PRESERVES_INPUT_STRUCTURE.has(layer.className)) return opLayerNode(first ?? null, kwargs, ref);
  if (first === undefined || !hasTensor(first)) {
    throw new FormatError(
      `layer '${layer.name}' (${layer.className}) has a call whose first argument is not a tensor; ` +
        `the Keras 2 dialect cannot write it. Received: ${JSON.stringify(mapArgTree(first ?? null, (t: Tensor) => t.label))}`,
    );
  }
  const tensors: Tensor[] = [];
  flattenTensors(first, tensors);
  return tensors.map((t) => [...ref(t), kwargs]);
}

/**
 * tf.keras 2's op layers keep their first argument's structure (`_preserve_input_structure_in_config`):
 * a single tensor is a bare `[layer, node, tensor, kwargs]` entry, a list stays a list (even of one), and
 * a constant is `["_CONSTANT_VALUE", -1, value, kwargs]`.
 */
function opLayerNode(first: ArgTree<Tensor>, kwargs: Json, ref: (t: Tensor) => unknown[]): unknown[] {
  const entry = (leaf: unknown): unknown[] =>
    leaf instanceof Tensor ? [...ref(leaf), kwargs] : ["_CONSTANT_VALUE", -1, leaf, kwargs];
  const walk = (tree: unknown): unknown[] => (Array.isArray(tree) ? tree.map(walk) : entry(tree));
  return walk(first);
}

function flattenTensors(tree: ArgTree<Tensor>, out: Tensor[]): void {
  mapArgTree(tree, (t: Tensor) => out.push(t));
}
