import { KerasGraphError } from "../../ir/errors.js";
import type { Graph, Layer, Tensor } from "../../ir/graph.js";
import { defaultRegistry } from "../../layers/registry.js";
import { modelView, nestedLayers, type ModelView } from "./model-view.js";
import { formatCount, readableMemorySize, weightTotals } from "./numbers.js";
import { renderTable, type Justify, type TableColumn } from "./rich-table.js";

export interface SummaryOptions {
  /** Total width of the table (Keras's `line_length`); by default Keras's 88 (sequence) or 108, capped by the terminal. */
  lineLength?: number;
  /** Where each column ends, as fractions of the line (Keras's `positions`). */
  positions?: number[];
  /** Also list the layers inside nested models (Keras's `expand_nested`). */
  expandNested?: boolean;
  /** Add a "Trainable" column (Keras's `show_trainable`). */
  showTrainable?: boolean;
  /**
   * The terminal width Keras would see when `lineLength` is not given (it draws at most 4 less).
   * Defaults to 80, what Python reports when not on a terminal.
   */
  terminalColumns?: number;
}

/**
 * `model.summary(line_length, positions, expand_nested, show_trainable)` of Keras 3
 * (keras/src/utils/summary_utils.py `print_summary`) as the text rich prints, one "\n" after every
 * line, without the optimizer line of a compiled model. rich also crops every line to the terminal
 * width; this does not.
 */
export function summaryText(graph: Graph, options: SummaryOptions = {}): string {
  const view = modelView(graph);
  const sequential = view.sequentialLike;
  const { columns, lineLength } = tableLayout(sequential, options);

  const rows: string[][] = [];
  const addRows = (layer: Layer, level: number): void => {
    const prefix = level ? "   ".repeat(level) + "└ " : "";
    const fields = [`${prefix}${layer.name} (${kerasClassName(layer)})`, formatLayerShape(layer), formatParams(layer)];
    if (!sequential) fields.push(connections(layer, view));
    if (options.showTrainable) fields.push(layer.variables().length > 0 ? (layer.trainable ? "Y" : "N") : "-");
    rows.push(fields);
    if (options.expandNested) for (const inner of nestedLayers(layer)) addRows(inner, level + 1);
  };
  for (const layer of view.layers) addRows(layer, 0);

  const totals = weightTotals(graph, view.layers);
  const total = totals.trainable.count + totals.nonTrainable.count;
  const totalBits = totals.trainable.bits + totals.nonTrainable.bits;
  const lines = [
    `Model: "${graph.name}"`,
    ...renderTable(columns, rows, lineLength),
    ` Total params: ${formatCount(total)} (${readableMemorySize(totalBits)})`,
    ` Trainable params: ${formatCount(totals.trainable.count)} (${readableMemorySize(totals.trainable.bits)})`,
    ` Non-trainable params: ${formatCount(totals.nonTrainable.count)} (${readableMemorySize(totals.nonTrainable.bits)})`,
  ];
  return lines.map((l) => l + "\n").join("");
}

/**
 * The columns `print_summary` asks rich for: three for a sequence, four ("Connected to") otherwise,
 * one more for `show_trainable`; each ends at `int(position * line_length)`.
 */
function tableLayout(sequential: boolean, options: SummaryOptions): { columns: TableColumn[]; lineLength: number } {
  let defaultLength = sequential ? 88 : 108;
  let positions = options.positions?.length
    ? options.positions
    : sequential
      ? [0.45, 0.8, 1.0]
      : [0.3, 0.56, 0.74, 1.0];
  const headers = sequential
    ? ["Layer (type)", "Output Shape", "Param #"]
    : ["Layer (type)", "Output Shape", "Param #", "Connected to"];
  const justify: Justify[] = sequential ? ["left", "left", "right"] : ["left", "left", "right", "left"];
  if (options.showTrainable) {
    defaultLength += 12;
    positions = [...positions.map((p) => p * 0.9), 1.0];
    headers.push("Trainable");
    justify.push("center");
  }
  defaultLength = Math.min(defaultLength, (options.terminalColumns ?? 80) - 4);
  const lineLength = options.lineLength || defaultLength;

  // Keras cuts the line at every position, but makes only as many columns as it has headers.
  const widths: number[] = [];
  let current = 0;
  positions.forEach((pos, i) => {
    const width = Math.trunc(pos * lineLength) - current;
    if (width < 4) {
      throw new KerasGraphError(
        `Insufficient console width to print summary: column ${i + 1} would be ${width} characters wide. ` +
          `Received: lineLength=${lineLength}, positions=[${positions.join(", ")}]`,
      );
    }
    widths.push(width);
    current += width;
  });
  if (widths.length < headers.length) {
    throw new KerasGraphError(
      `summary needs ${headers.length} positions, one per column. Received: positions=[${positions.join(", ")}]`,
    );
  }
  return { columns: headers.map((header, i) => ({ header, width: widths[i]!, justify: justify[i]! })), lineLength };
}

/** The model's summary as data: totals, inputs and outputs, and a record per row of the table. */
export function summaryJson(graph: Graph): SummaryJson {
  const view = modelView(graph);
  const totals = weightTotals(graph, view.layers);
  const io = (t: Tensor) => ({ name: t.layer.name, shape: t.shape, dtype: t.dtype });
  return {
    name: graph.name,
    total_params: totals.trainable.count + totals.nonTrainable.count,
    trainable_params: totals.trainable.count,
    non_trainable_params: totals.nonTrainable.count,
    inputs: graph.inputs.map(io),
    outputs: graph.outputs.map(io),
    layers: view.layers.map((layer) => ({
      name: layer.name,
      class_name: kerasClassName(layer),
      output_shape: layer.calls[0]?.outputs.map((t) => t.shape) ?? [],
      calls: view.calls ? layer.calls.filter((c) => view.calls!.has(c)).length : layer.calls.length,
      params: layer.built ? layer.paramCounts().total : 0,
    })),
  };
}

export interface SummaryJson {
  name: string;
  total_params: number;
  trainable_params: number;
  non_trainable_params: number;
  inputs: { name: string; shape: (number | null)[]; dtype: string }[];
  outputs: { name: string; shape: (number | null)[]; dtype: string }[];
  layers: { name: string; class_name: string; output_shape: (number | null)[][]; calls: number; params: number }[];
}

/**
 * The Python class name Keras prints: a nested Keras 2 `Model` is rebuilt as `Functional`, and a layer
 * written under an alias (`GlobalMaxPool2D`) is an instance of its canonical class.
 */
export function kerasClassName(layer: Layer): string {
  if (layer.subgraph) return layer.className === "Model" ? "Functional" : layer.className;
  return defaultRegistry.get(layer.className, layer.meta.registeredName)?.className ?? layer.className;
}

/**
 * `format_layer_shape`: the shapes of the layer's last call (Keras's last inbound node), one as
 * `(None, 4)`, several as `[(None, 4), (None, 4)]`; "?" for a layer never called.
 */
export function formatLayerShape(layer: Layer): string {
  const last = layer.calls.at(-1);
  const shapes = last
    ? last.outputs.map((t) => t.shape)
    : layer.subgraph && layer.className !== "Sequential"
      ? layer.subgraph.outputs.map((t) => t.shape)
      : null;
  if (!shapes) return "?";
  const text = shapes.map((s) => `(${s.map((d) => (d === null ? "None" : String(d))).join(", ")})`);
  return text.length === 1 ? text[0]! : `[${text.join(", ")}]`;
}

function formatParams(layer: Layer): string {
  return layer.built ? formatCount(layer.paramCounts().total) : "0 (unbuilt)";
}

/** `get_connections`: every input of every call of this model, `name[node][tensor]`, or "-". */
function connections(layer: Layer, view: ModelView): string {
  const parts: string[] = [];
  for (const call of layer.calls) {
    if (view.calls?.size && !view.calls.has(call)) continue;
    for (const t of call.inputs) parts.push(t.label);
  }
  return parts.length ? parts.join(", ") : "-";
}
