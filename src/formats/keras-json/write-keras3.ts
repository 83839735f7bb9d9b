import type { ArgTree, Call, Graph, IOStructure, Layer, Tensor } from "../../ir/graph.js";
import { mapArgTree } from "../../ir/graph.js";
import { keras3BuildConfig } from "./build-config.js";
import { keras3Dtype, keras3LayerConfig } from "./keras3-compat.js";
import { NodeNumbering } from "./node-numbering.js";
import type { Json } from "./parse.js";

/** Envelope keys only Keras 2 files carry (Keras 3 keeps the version in `metadata.json`). */
const KERAS2_ENVELOPE_KEYS = new Set(["keras_version", "backend"]);

/**
 * A graph as Keras 3's `serialize_keras_object(model)` (what `model.to_json()` and a `.keras` archive's
 * `config.json` hold): `{"module", "class_name", "config", "registered_name", "build_config",
 * "compile_config"}`. Keys read from a Keras 3 file are written back as read; a graph read from Keras 2 or
 * built by hand gets Keras 3's values.
 */
export function writeKeras3Model(graph: Graph): Json {
  const env = graph.envelope;
  const defaults = modelDefaults(graph);
  const out: Json = {
    module: env.module !== undefined ? env.module : defaults.module,
    class_name: keras3ClassName(graph),
    config: keras3ModelConfig(graph),
    registered_name: env.registered_name !== undefined ? env.registered_name : defaults.registeredName,
  };
  const buildConfig = env.build_config !== undefined ? env.build_config : defaults.buildConfig;
  if (buildConfig !== undefined) out.build_config = buildConfig;
  out.compile_config = env.compile_config !== undefined ? env.compile_config : {};
  for (const [k, v] of Object.entries(env)) {
    if (!(k in out) && k !== "class_name" && k !== "config" && !KERAS2_ENVELOPE_KEYS.has(k)) out[k] = v;
  }
  return out;
}

/** Keras 3 cannot locate tf.keras 2's `Model` class by that name: a functional model is a Functional. */
function keras3ClassName(graph: Graph): string {
  return graph.className === "Model" ? "Functional" : graph.className;
}

/** What Keras 3 writes around a model's config when nothing was read: Functional is not exported, Sequential is. */
function modelDefaults(graph: Graph): { module: string; registeredName: string | null; buildConfig: unknown } {
  if (graph.className === "Sequential") {
    const input = graph.inputs[0];
    return {
      module: "keras",
      registeredName: null,
      buildConfig: input ? { input_shape: [...input.shape] } : undefined,
    };
  }
  return {
    module: "keras.src.models.functional",
    registeredName: keras3ClassName(graph),
    buildConfig: { input_shape: null },
  };
}

/** A model's `config`: Functional's `get_config` or Sequential's. */
export function keras3ModelConfig(graph: Graph): Json {
  return graph.className === "Sequential" ? sequentialConfig(graph) : functionalConfig(graph);
}

/** Model-level keys kept as read (e.g. `trainable`), without those the writer produces itself. */
function keptModelKeys(graph: Graph, produced: string[]): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(graph.config)) {
    if (!produced.includes(k)) out[k] = k === "dtype" ? keras3Dtype(v) : v;
  }
  return out;
}

/** Functional's `get_config`: `{"name", "trainable", "layers", "input_layers", "output_layers"}`. */
function functionalConfig(graph: Graph): Json {
  const numbering = new NodeNumbering(graph);
  const layers: Json[] = [...numbering.cutInputs.values()].map((cut) => inputLayerEntry(cut.name, cut.tensor));
  for (const layer of graph.layers) layers.push(layerEntry(layer, numbering));
  const io = (tensors: Tensor[], structure: IOStructure) =>
    ioRefs(tensors, structure, (t) => numbering.history(t, "keras3", "io"));
  return {
    name: graph.name,
    trainable: graph.config.trainable ?? true,
    ...keptModelKeys(graph, ["name", "trainable", "layers", "input_layers", "output_layers"]),
    layers,
    input_layers: io(graph.inputs, graph.inputStructure),
    output_layers: io(graph.outputs, graph.outputStructure),
  };
}

/**
 * Sequential's `get_config`: `{"name", "trainable", "dtype"?, "layers": [InputLayer, ...], "build_input_shape"?}`,
 * each layer as `serialize_keras_object` writes it (no `name`, no `inbound_nodes`).
 */
function sequentialConfig(graph: Graph): Json {
  const input = graph.inputs[0]?.layer;
  const body = graph.layers.filter((l) => l.className !== "InputLayer" || l === input);
  if (input && input.className === "InputLayer" && !body.includes(input)) body.unshift(input);
  const config: Json = {
    name: graph.name,
    trainable: graph.config.trainable ?? true,
    ...keptModelKeys(graph, ["name", "trainable", "layers", "build_input_shape"]),
    layers: body.map((layer) => layerEntry(layer, null)),
  };
  const built = graph.config.build_input_shape ?? (graph.inputs[0] ? [...graph.inputs[0].shape] : undefined);
  if (built !== undefined) config.build_input_shape = built;
  return config;
}

/** One `input_layers`/`output_layers` value: a triple, a list of triples or a record, as the model was given. */
export function ioRefs(
  tensors: Tensor[],
  structure: IOStructure,
  ref: (t: Tensor) => [string, number, number],
): unknown {
  if (structure.kind === "single" && tensors.length === 1) return ref(tensors[0]!);
  if (structure.kind === "dict" && structure.keys.length === tensors.length) {
    return Object.fromEntries(structure.keys.map((k, i) => [k, ref(tensors[i]!)]));
  }
  return tensors.map(ref);
}

/**
 * One entry of a model's `layers`. With `numbering` (a Functional), it carries `name` and the
 * `inbound_nodes` of the calls that belong to this model; without (a Sequential), it is the bare
 * serialized layer.
 */
function layerEntry(layer: Layer, numbering: NodeNumbering | null): Json {
  const meta = layer.meta;
  const read = meta.module !== undefined;
  const calls = numbering ? numbering.callsOf(layer) : layer.calls;
  const entry: Json = {
    module: read ? meta.module : layer.subgraph ? modelDefaults(layer.subgraph).module : "keras.layers",
    class_name: layer.subgraph ? keras3ClassName(layer.subgraph) : layer.className,
    config: layer.subgraph
      ? keras3ModelConfig(layer.subgraph)
      : keras3LayerConfig(layer.className, layer.config, !read),
    registered_name:
      meta.registeredName !== undefined
        ? meta.registeredName
        : layer.subgraph
          ? modelDefaults(layer.subgraph).registeredName
          : null,
  };
  const buildConfig = read
    ? meta.buildConfig
    : layer.subgraph
      ? modelDefaults(layer.subgraph).buildConfig
      : keras3BuildConfig(layer, calls[0]);
  if (buildConfig !== undefined) entry.build_config = buildConfig;
  if (layer.subgraph && !read) entry.compile_config = {};
  Object.assign(entry, meta.extra ?? {});
  if (!numbering) return entry;
  entry.name = layer.name;
  entry.inbound_nodes = calls.filter((c) => c.inputs.length > 0).map((c) => inboundNode(c, numbering));
  return entry;
}

/** `serialize_node`: the call's args and kwargs with each tensor as a `__keras_tensor__`. */
function inboundNode(call: Call, numbering: NodeNumbering): Json {
  const tensor = (t: Tensor) => ({
    class_name: "__keras_tensor__",
    config: { shape: [...t.shape], dtype: t.dtype, keras_history: numbering.history(t, "keras3", "inbound") },
  });
  return {
    args: mapArgTree(call.args, tensor) as ArgTree<Json>[],
    kwargs: mapArgTree(call.kwargs, tensor) as Json,
  };
}

/** The InputLayer Keras makes for a model input that is an inner tensor of another model. */
function inputLayerEntry(name: string, t: Tensor): Json {
  return {
    module: "keras.layers",
    class_name: "InputLayer",
    config: { batch_shape: [...t.shape], dtype: t.dtype, sparse: false, ragged: false, name, optional: false },
    registered_name: null,
    name,
    inbound_nodes: [],
  };
}
