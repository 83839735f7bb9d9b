import type { Graph, Layer, WeightSpec } from "../../ir/graph.js";
import type { LayerRegistry } from "../../layers/registry.js";
import { savedLayers, type WeightRef } from "../weight-values.js";

/**
 * One `vars` group of a `.keras` archive's `model.weights.h5`: Keras's `_save_state` makes one for every
 * object it visits (the model, each layer, each sublayer a layer keeps in an attribute, the optimizer),
 * at the object's attribute path, tagged with the object's name; `vars/0`, `vars/1`, ... are the object's
 * own variables, `_trainable_variables + _non_trainable_variables`.
 */
export interface VarsGroup {
  /** The object's path: "" for the model, `layers/dense_1`, `layers/lstm/cell`, `layers/functional/layers/dense`. */
  path: string;
  /** The object's name, which Keras stores as the `name` attribute of the `vars` group. */
  name: string;
  vars: WeightRef[];
  /** The top-level layer the group belongs to, and the names of the sublayers leading to it. */
  layer?: Layer;
  chain: string[];
}

/** The Python class name Keras would instantiate for a layer (aliases resolved); the config's by default. */
export type ClassNameOf = (layer: Layer) => string;

/**
 * The Python class name Keras saves a layer under, for the weights' group paths: its registered kind's
 * own (a layer read under an alias or a Keras 2 name is saved under the current class), else its own.
 */
export function savedClassName(registry: LayerRegistry): ClassNameOf {
  return (layer) => registry.get(layer.className, layer.meta.registeredName)?.className ?? layer.className;
}

/**
 * The groups Keras's `saving_lib` writes for a model, in its visiting order: the model, then `layers`
 * (one group per layer, named by its snake_case class, `dense`, `dense_1`, ... in `model.layers` order),
 * each layer's sublayers by attribute, nested models recursively. A layer shared by several calls is
 * one object and has one group.
 */
export function kerasVarsGroups(graph: Graph, classNameOf: ClassNameOf = (l) => l.className): VarsGroup[] {
  const out: VarsGroup[] = [];
  const visited = new Set<Layer>();
  const visitModel = (g: Graph, path: string, name: string, top?: Layer) => {
    out.push({ path, name, vars: [], chain: [], ...(top ? { layer: top } : {}) });
    const used = new Map<string, number>();
    for (const layer of savedLayers(g)) {
      if (visited.has(layer)) continue;
      const child = join(
        path,
        "layers",
        uniqueName(toSnakeCase(layer.subgraph ? layer.subgraph.className : classNameOf(layer)), used),
      );
      visited.add(layer);
      if (layer.subgraph) visitModel(layer.subgraph, child, layer.name, layer);
      else
        visitObject(
          out,
          layer,
          { className: classNameOf(layer), name: layer.name, config: layer.config },
          child,
          [],
          specsOf(layer),
        );
    }
  };
  visitModel(graph, "", graph.name);
  return out;
}

interface ObjectInfo {
  className: string;
  name: string;
  config: Record<string, unknown>;
}

/** A WeightSpec with the part of its name below the object being visited ("lstm_cell/kernel" → ["lstm_cell", "kernel"]). */
interface ScopedSpec {
  spec: WeightSpec;
  rest: string[];
}

function specsOf(layer: Layer): ScopedSpec[] {
  return (layer.weights ?? []).map((spec) => ({ spec, rest: spec.name.split("/") }));
}

function visitObject(
  out: VarsGroup[],
  layer: Layer,
  obj: ObjectInfo,
  path: string,
  chain: string[],
  specs: ScopedSpec[],
): void {
  const own = specs.filter((s) => s.rest.length === 1).map((s) => s.spec);
  // `_trainable_variables + _non_trainable_variables`: the lists a variable joined when it was created.
  const ordered = [...own.filter((w) => w.trainable), ...own.filter((w) => !w.trainable)];
  out.push({ path, name: obj.name, vars: ordered.map((weight) => ({ layer, weight })), layer, chain });
  const nested = specs.filter((s) => s.rest.length > 1);
  const subs = sublayersOf(obj);
  for (const s of nested) {
    if (!subs.some((sub) => sub.name === s.rest[0])) {
      subs.push({ attr: s.rest[0]!, name: s.rest[0]!, className: "", config: {} });
    }
  }
  // `_walk_saveable` visits attributes in sorted order, private ones (`_softmax`) last; a list attribute's
  // items (`cells/...`) keep their order.
  const visitKey = (sub: Sublayer) => {
    const attr = sub.attr.split("/")[0]!;
    return attr.startsWith("_") ? `~${attr}` : attr;
  };
  subs.sort((a, b) => (visitKey(a) < visitKey(b) ? -1 : visitKey(a) > visitKey(b) ? 1 : 0));
  for (const sub of subs) {
    const inner = nested.filter((s) => s.rest[0] === sub.name).map((s) => ({ spec: s.spec, rest: s.rest.slice(1) }));
    visitObject(out, layer, sub, join(path, sub.attr), [...chain, sub.name], inner);
  }
}

interface Sublayer extends ObjectInfo {
  /** The attribute (or container path) under which the parent keeps the sublayer. */
  attr: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

/** A serialized layer `{"class_name", "config"}` as a sublayer kept under `attr`, named `name` (default: its config name). */
function serialized(attr: string, value: unknown, name?: string): Sublayer | null {
  if (!isObject(value) || typeof value.class_name !== "string") return null;
  const config = isObject(value.config) ? value.config : {};
  return {
    attr,
    name: name ?? (typeof config.name === "string" ? config.name : toSnakeCase(value.class_name)),
    className: value.class_name,
    config,
  };
}

/** The cell each built-in recurrent layer makes, and the name Keras gives it. */
const RNN_CELLS: Record<string, [string, string]> = {
  SimpleRNN: ["SimpleRNNCell", "simple_rnn_cell"],
  LSTM: ["LSTMCell", "lstm_cell"],
  GRU: ["GRUCell", "gru_cell"],
  ConvLSTM1D: ["ConvLSTMCell", "conv_lstm_cell"],
  ConvLSTM2D: ["ConvLSTMCell", "conv_lstm_cell"],
  ConvLSTM3D: ["ConvLSTMCell", "conv_lstm_cell"],
};

/** Attention layers' projections: Keras name → attribute (MultiHeadAttention exposes public properties). */
const MHA_DENSE: [string, string][] = [
  ["query", "query_dense"],
  ["key", "key_dense"],
  ["value", "value_dense"],
  ["attention_output", "output_dense"],
  ["gate", "_gate_dense"],
];

type Weightless = [attr: string, name: string, className: string];

/** A sublayer kept in an attribute of its snake_case class name, which Keras also names it by default. */
const byAttr = (className: string): Weightless => [toSnakeCase(className), toSnakeCase(className), className];

/** The color operations AugMix makes only with `all_ops=True` (its default), RandAugment always. */
const COLOR_OPS = ["RandomBrightness", "RandomColorDegeneration", "RandomContrast", "RandomSharpness"];
/** The operations AugMix and RandAugment always make (aug_mix.py, rand_augment.py `__init__`). */
const BASE_OPS = [
  "AutoContrast",
  "Equalization",
  "RandomPosterization",
  "RandomRotation",
  "RandomShear",
  "RandomTranslation",
  "Solarization",
];

/**
 * Weightless sublayers Keras also visits (their `vars` groups are empty but present), given the layer's
 * config: the attributes its `__init__` sets to a layer.
 */
const WEIGHTLESS: Record<string, (config: Json) => Weightless[]> = {
  MultiHeadAttention: () => [
    ["_dropout_layer", "dropout", "Dropout"],
    ["_softmax", "softmax", "Softmax"],
  ],
  GroupedQueryAttention: () => [
    ["_dropout_layer", "dropout", "Dropout"],
    ["_softmax", "softmax", "Softmax"],
  ],
  AugMix: (c) => [...BASE_OPS, ...(c.all_ops === false ? [] : COLOR_OPS)].map(byAttr),
  RandAugment: () => [...BASE_OPS, ...COLOR_OPS].map(byAttr),
  // random_color_jitter.py: one sublayer per factor that is not None (the others stay None).
  RandomColorJitter: (c) =>
    (
      [
        ["brightness_factor", "RandomBrightness"],
        ["contrast_factor", "RandomContrast"],
        ["saturation_factor", "RandomSaturation"],
        ["hue_factor", "RandomHue"],
      ] as const
    )
      .filter(([factor]) => c[factor] !== undefined && c[factor] !== null)
      .map(([, cls]) => byAttr(cls)),
};

/**
 * The sublayers a Keras layer class keeps in attributes, as `_walk_saveable` finds them. Layers of other
 * classes that hold sublayers are matched by the sublayer names in their weight names (attribute = name).
 */
function sublayersOf(obj: ObjectInfo): Sublayer[] {
  const { className, config } = obj;
  const subs: Sublayer[] = [];
  const cell = RNN_CELLS[className];
  if (cell) subs.push({ attr: "cell", name: cell[1], className: cell[0], config: {} });
  else if (className === "RNN") {
    if (Array.isArray(config.cell)) {
      subs.push({
        attr: "cell",
        name: "stacked_rnn_cells",
        className: "StackedRNNCells",
        config: { cells: config.cell },
      });
    } else {
      const s = serialized("cell", config.cell);
      if (s) subs.push(s);
    }
  } else if (className === "StackedRNNCells" && Array.isArray(config.cells)) {
    const used = new Map<string, number>();
    for (const c of config.cells) {
      const s = serialized("", c);
      if (s) subs.push({ ...s, attr: `cells/${uniqueName(toSnakeCase(s.className), used)}` });
    }
  } else if (className === "Bidirectional") {
    const forward = serialized("forward_layer", config.layer);
    const backward = serialized("backward_layer", config.backward_layer ?? config.layer);
    if (forward) subs.push({ ...forward, name: `forward_${removePrefix(forward.name, "forward_")}` });
    if (backward)
      subs.push({
        ...backward,
        name: config.backward_layer ? backward.name : `backward_${removePrefix(backward.name, "backward_")}`,
      });
  } else if (className === "MultiHeadAttention" || className === "GroupedQueryAttention") {
    const priv = className === "GroupedQueryAttention";
    for (const [name, attr] of MHA_DENSE) {
      if (name === "gate" && config.use_gate !== true) continue;
      subs.push({
        attr: priv && !attr.startsWith("_") ? `_${attr}` : attr,
        name,
        className: "EinsumDense",
        config: {},
      });
    }
  } else if (isObject(config.layer)) {
    const s = serialized("layer", config.layer);
    if (s) subs.push(s);
  }
  for (const [attr, name, cls] of WEIGHTLESS[className]?.(config) ?? [])
    subs.push({ attr, name, className: cls, config: {} });
  return subs;
}

function removePrefix(name: string, prefix: string): string {
  return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}

/** Keras's `naming.to_snake_case`: "GlobalMaxPooling2D" → "global_max_pooling2d", "ConvLSTM2D" → "conv_lstm2d". */
export function toSnakeCase(name: string): string {
  return name
    .replace(/[^\p{L}\p{N}_]+/gu, "")
    .replace(/(.)([A-Z][a-z]+)/g, "$1_$2")
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toLowerCase();
}

/** `saving_lib._get_unique_name`: the first `dense`, then `dense_1`, `dense_2`, ... */
function uniqueName(name: string, used: Map<string, number>): string {
  const n = used.get(name);
  if (n === undefined) {
    used.set(name, 0);
    return name;
  }
  used.set(name, n + 1);
  return `${name}_${n + 1}`;
}

function join(...parts: string[]): string {
  return parts.filter(Boolean).join("/");
}
