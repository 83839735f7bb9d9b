import { summaryJson } from "../../src/tools/summary/index.js";
import { formatCount } from "../../src/tools/summary/numbers.js";
import type { OnnxModel } from "../../src/formats/onnx/model.js";
import type { Graph } from "../../src/ir/graph.js";
import { byId, el } from "./element.js";
import { onnxNodeId } from "./onnx-dot.js";

const dims = (shape: (number | null)[]) => `(${shape.map((d) => (d === null ? "None" : d)).join(", ")})`;

/**
 * Keras's `model.summary()` as a table (the same rows as `kerasgraph summary --json`): layer and
 * class, output shape, params, calls; a row click selects the layer.
 */
export function showKerasSummary(graph: Graph, onSelect: (layer: string) => void): void {
  const s = summaryJson(graph);
  const rows = s.layers.map((l) =>
    row(l.name, onSelect, [
      el("td", {}, l.name, el("span", { class: "muted" }, ` (${l.class_name})`)),
      el("td", { class: "shape" }, l.output_shape.map(dims).join(", ") || "?"),
      el("td", { class: "num" }, formatCount(l.params)),
    ]),
  );
  render(`Model: "${s.name}"`, ["Layer (type)", "Output shape", "Param #"], rows, [
    `Total params: ${formatCount(s.total_params)}`,
    `Trainable params: ${formatCount(s.trainable_params)}`,
    `Non-trainable params: ${formatCount(s.non_trainable_params)}`,
  ]);
}

/** An ONNX model's nodes as a table: name, op type, inputs and outputs. */
export function showOnnxSummary(model: OnnxModel, onSelect: (node: string) => void): void {
  const params = model.graph.initializers.reduce((n, t) => n + t.dims.reduce((a, b) => a * b, 1), 0);
  const rows = model.graph.nodes.map((node, i) =>
    row(onnxNodeId(model, i), onSelect, [
      el("td", {}, onnxNodeId(model, i), el("span", { class: "muted" }, ` (${node.opType})`)),
      el("td", { class: "shape" }, node.inputs.join(", ")),
      el("td", { class: "shape" }, node.outputs.join(", ")),
    ]),
  );
  render(
    `ONNX graph "${model.graph.name}" (opset ${model.opsetImports.map((o) => o.version).join(", ")})`,
    ["Node (op)", "Inputs", "Outputs"],
    rows,
    [`Nodes: ${formatCount(model.graph.nodes.length)}`, `Initializer values: ${formatCount(params)}`],
  );
}

function row(id: string, onSelect: (id: string) => void, cells: HTMLElement[]): HTMLTableRowElement {
  const tr = el("tr", { "data-layer": id, tabindex: 0 }, ...cells);
  tr.addEventListener("click", () => onSelect(id));
  return tr;
}

function render(title: string, headers: string[], rows: HTMLElement[], totals: string[]): void {
  const table = el(
    "table",
    { class: "summary" },
    el("thead", {}, el("tr", {}, ...headers.map((h) => el("th", {}, h)))),
    el("tbody", {}, ...rows),
  );
  byId("summary").replaceChildren(
    el("h3", {}, title),
    table,
    el("ul", { class: "totals" }, ...totals.map((t) => el("li", {}, t))),
  );
}

/** Marks the summary row of the selected layer. */
export function selectSummaryRow(layer: string | null): void {
  byId("summary")
    .querySelectorAll("tr[data-layer]")
    .forEach((tr) => tr.classList.toggle("selected", tr.getAttribute("data-layer") === layer));
}
