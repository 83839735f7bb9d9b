import type { Graph, IOStructure, Layer, Tensor } from "../../ir/graph.js";
import { formatShape } from "../../ir/shape.js";
import { defaultRegistry } from "../../layers/registry.js";
import { kerasClassName } from "../summary/index.js";
import type { ResolvedDotOptions } from "./options.js";

type LabelOptions = Pick<
  ResolvedDotOptions,
  "showLayerNames" | "showLayerActivations" | "showDtype" | "showShapes" | "showTrainable"
>;

/**
 * Keras's `make_layer_label`: an HTML-like table with a black header (`<b>name</b> (Class)`), an
 * optional "Activation:" row, and one row of cells for the input and output shapes, the output dtype
 * and the trainable mark, byte for byte as Keras 3 writes it.
 */
export function layerLabel(layer: Layer, options: LabelOptions): string {
  const className = escapeHtml(kerasClassName(layer));
  let table = '<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">';
  const colspan = Math.max(1, Number(options.showDtype) + Number(options.showTrainable) + (options.showShapes ? 2 : 0));
  const title = options.showLayerNames ? `<b>${escapeHtml(layer.name)}</b> (${className})` : `<b>${className}</b>`;
  table += `<tr><td colspan="${colspan}" bgcolor="black"><font point-size="16" color="white">${title}</font></td></tr>`;
  const activation = options.showLayerActivations ? activationName(layer) : null;
  if (activation !== null) {
    table +=
      `<tr><td bgcolor="white" colspan="${colspan}"><font point-size="14">` +
      `Activation: <b>${escapeHtml(activation)}</b></font></td></tr>`;
  }
  const cols: string[] = [];
  const cell = (text: string) => `<td bgcolor="white"><font point-size="14">${text}</font></td>`;
  const io = layerIO(layer);
  if (options.showShapes) {
    const shapes = (s: IOStructure | null, ts: Tensor[] | null) => escapeHtml(s && ts ? formatShapes(s, ts) : "?");
    if (kerasClassName(layer) !== "InputLayer")
      cols.push(cell(`Input shape: <b>${shapes(io.inputStructure, io.inputs)}</b>`));
    cols.push(cell(`Output shape: <b>${shapes(io.outputStructure, io.outputs)}</b>`));
  }
  if (options.showDtype) {
    const dtype = io.outputs && io.outputStructure ? formatDtypes(io.outputStructure, io.outputs) : "?";
    cols.push(cell(`Output dtype: <b>${escapeHtml(dtype)}</b>`));
  }
  if (options.showTrainable && layer.variables().length > 0) {
    cols.push(
      layer.trainable
        ? '<td bgcolor="forestgreen"><font point-size="14" color="white"><b>Trainable</b></font></td>'
        : '<td bgcolor="firebrick"><font point-size="14" color="white"><b>Non-trainable</b></font></td>',
    );
  }
  if (cols.length) table += `<tr>${cols.join("")}</tr>`;
  return `${table}</table>>`;
}

interface LayerIO {
  inputs: Tensor[] | null;
  inputStructure: IOStructure | null;
  outputs: Tensor[] | null;
  outputStructure: IOStructure | null;
}

/**
 * `layer.input` and `layer.output`: a nested Functional answers with the inputs and outputs it was
 * built on (`_inputs_struct`); any other layer with its first call's tensors, one alone or a list.
 * A layer never called has none ("?").
 */
function layerIO(layer: Layer): LayerIO {
  const sub: Graph | undefined = layer.subgraph;
  if (sub && kerasClassName(layer) !== "Sequential") {
    return {
      inputs: sub.inputs,
      inputStructure: sub.inputStructure,
      outputs: sub.outputs,
      outputStructure: sub.outputStructure,
    };
  }
  const first = layer.calls[0];
  if (!first) return { inputs: null, inputStructure: null, outputs: null, outputStructure: null };
  const flat = (ts: Tensor[]): IOStructure => (ts.length === 1 ? { kind: "single" } : { kind: "list" });
  return {
    inputs: first.inputs,
    inputStructure: flat(first.inputs),
    outputs: first.outputs,
    outputStructure: flat(first.outputs),
  };
}

/** Python's `f"{shape}"` of a shape structure: `(None, 4)`, `[(None, 4), (None, 2)]`, or `a: (None, 4)` for a dict. */
function formatShapes(structure: IOStructure, tensors: Tensor[]): string {
  if (structure.kind === "single" && tensors.length === 1) return formatShape(tensors[0]!.shape);
  if (structure.kind === "dict" && structure.keys.length === tensors.length) {
    return structure.keys.map((k, i) => `${k}: ${formatShape(tensors[i]!.shape)}`).join(", ");
  }
  return `[${tensors.map((t) => formatShape(t.shape)).join(", ")}]`;
}

/** Python's `f"{dtype}"` of a dtype structure: `float32`, `['float32', 'int32']`, `{'a': 'float32'}`. */
function formatDtypes(structure: IOStructure, tensors: Tensor[]): string {
  if (structure.kind === "single" && tensors.length === 1) return tensors[0]!.dtype;
  if (structure.kind === "dict" && structure.keys.length === tensors.length) {
    return `{${structure.keys.map((k, i) => `'${k}': '${tensors[i]!.dtype}'`).join(", ")}}`;
  }
  return tensors.length ? `[${tensors.map((t) => `'${t.dtype}'`).join(", ")}]` : "?";
}

/** Keras's activation aliases: `activations.get("swish")` is the function `silu`. */
const ACTIVATION_ALIASES = new Map([
  ["swish", "silu"],
  ["hard_swish", "hard_silu"],
]); // a Map: a config naming "constructor" must not find Object's

/**
 * `get_layer_activation_name`, for layers that have an `activation` attribute (Dense, Conv*, RNNs,
 * Activation, EinsumDense ...: their config has the key): the function's `__name__` or the activation
 * layer's `name`. `activation=None` is `linear`.
 */
export function activationName(layer: Layer): string | null {
  const kind = defaultRegistry.get(layer.className, layer.meta.registeredName, layer.meta.module);
  const has = (key: string) => layer.config[key] !== undefined || kind?.defaults[key] !== undefined;
  if (layer.subgraph || !has("activation")) return null;
  const value = layer.config.activation !== undefined ? layer.config.activation : kind?.defaults.activation;
  if (value === null || value === undefined) return "linear";
  if (typeof value === "string") return ACTIVATION_ALIASES.get(value) ?? value;
  if (typeof value === "object" && !Array.isArray(value)) {
    const { config, class_name: className } = value as { config?: unknown; class_name?: unknown };
    if (typeof config === "string") return ACTIVATION_ALIASES.get(config) ?? config;
    const name = (config as { name?: unknown } | undefined)?.name;
    if (typeof name === "string") return name;
    if (typeof className === "string") return className;
  }
  return String(value);
}

/** Text inside an HTML-like Graphviz label: `&`, `<` and `>` would end the label or the tag. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
