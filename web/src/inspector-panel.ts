import type { OnnxModel } from "../../src/formats/onnx/model.js";
import type { NdArray } from "../../src/formats/npy/array.js";
import type { Graph, Layer } from "../../src/ir/graph.js";
import { kerasClassName, formatLayerShape } from "../../src/tools/summary/index.js";
import { castWeight } from "../../src/formats/weight-values.js";
import type { WeightData } from "../../src/ir/weights.js";
import { activationView } from "./activation-view.js";
import { histogram } from "./canvas-charts.js";
import { byId, el } from "./element.js";
import { onnxNodeId } from "./onnx-dot.js";
import { formatValue, valueStats } from "./value-stats.js";

/** Where the inspector finds a layer's outputs: null before a run, else outputs by extract key. */
export type Activations = Map<string, NdArray> | null;

/**
 * The selected layer: class and config (as the file holds it, Keras's snake_case), each weight with its
 * shape, dtype, value range and histogram, and after a run its output(s).
 */
export function showLayer(graph: Graph, id: string, activations: Activations, note: string): void {
  const layer = findLayer(graph, id);
  if (!layer) {
    byId("inspector").replaceChildren(el("p", { class: "placeholder" }, `No layer '${id}' in this model.`));
    return;
  }
  byId("inspector").replaceChildren(
    el("h3", {}, layer.name, el("span", { class: "muted" }, ` (${kerasClassName(layer)})`)),
    el(
      "p",
      { class: "meta" },
      `Output shape: ${formatLayerShape(layer)}; ${layer.calls.length} call(s); ${layer.paramCounts().total} params`,
    ),
    section("Activation", activationBlock(id, activations, note)),
    section("Weights", weightsBlock(layer)),
    section("Config", el("pre", { class: "config" }, JSON.stringify(layer.config, null, 2))),
  );
}

/** The selected ONNX node: op type, attributes, inputs (initializers with histograms) and outputs. */
export function showOnnxNode(model: OnnxModel, id: string): void {
  const index = model.graph.nodes.findIndex((_, i) => onnxNodeId(model, i) === id);
  const node = model.graph.nodes[index];
  if (!node) {
    byId("inspector").replaceChildren(el("p", { class: "placeholder" }, `'${id}' is a graph input or output.`));
    return;
  }
  const inits = new Map(model.graph.initializers.map((t) => [t.name, t]));
  const weights = node.inputs
    .filter((n) => inits.has(n))
    .map((n) => {
      const t = inits.get(n)!;
      return weightRow(n, t.dims, "onnx", Array.from(t.data as ArrayLike<number | bigint>, Number));
    });
  byId("inspector").replaceChildren(
    el("h3", {}, id, el("span", { class: "muted" }, ` (${node.opType})`)),
    el("p", { class: "meta" }, `Inputs: ${node.inputs.join(", ")}; outputs: ${node.outputs.join(", ")}`),
    section("Initializers", weights.length ? el("div", {}, ...weights) : el("p", { class: "muted" }, "none")),
    section("Attributes", el("pre", { class: "config" }, attributesText(node.attributes))),
  );
}

function activationBlock(id: string, activations: Activations, note: string): HTMLElement {
  if (!activations) return el("p", { class: "muted" }, note);
  const keys = [...activations.keys()].filter((k) => k === id || k.startsWith(`${id}@`) || k.startsWith(`${id}:`));
  if (!keys.length) return el("p", { class: "muted" }, `The run exposed no output for '${id}'.`);
  return el("div", {}, ...keys.map((k) => activationView(k, activations.get(k)!)));
}

function weightsBlock(layer: Layer): HTMLElement {
  const vars = layer.variables();
  if (!vars.length) return el("p", { class: "muted" }, "This layer has no weights.");
  return el(
    "div",
    {},
    ...vars.map(({ layer: owner, weight }) => {
      const data = owner.values.get(weight.name);
      const values = data ? numbers(data) : null;
      const name = owner === layer ? weight.name : `${owner.name}/${weight.name}`;
      return weightRow(name, weight.shape, weight.dtype, values);
    }),
  );
}

function weightRow(name: string, shape: number[], dtype: string, values: ArrayLike<number> | null): HTMLElement {
  const head = el("p", { class: "weight-name" }, `${name}: (${shape.join(", ")}) ${dtype}`);
  if (!values)
    return el("div", { class: "weight" }, head, el("p", { class: "muted" }, "no values (architecture only)"));
  const s = valueStats(values);
  return el(
    "div",
    { class: "weight" },
    head,
    el(
      "p",
      { class: "meta" },
      `min ${formatValue(s.min)}, max ${formatValue(s.max)}, mean ${formatValue(s.mean)}, std ${formatValue(s.std)}`,
    ),
    histogram(values),
  );
}

function numbers(data: WeightData): ArrayLike<number> {
  if (data.dtype === "float32" || data.dtype === "float64") return data.values as Float32Array;
  return castWeight(data, "float64").values as Float64Array;
}

function section(title: string, body: HTMLElement): HTMLElement {
  return el("details", { open: true }, el("summary", {}, title), body);
}

/** A layer by diagram id: its name, or `outer/inner` for a layer inside a nested model. */
export function findLayer(graph: Graph, id: string): Layer | undefined {
  const [head, ...rest] = id.split("/");
  const layer = graph.layers.find((l) => l.name === head);
  if (!layer || !rest.length) return layer;
  return layer.subgraph ? findLayer(layer.subgraph, rest.join("/")) : undefined;
}

/** An ONNX node's attributes one per line, `name: value` (tensors by their size). */
function attributesText(attributes: Record<string, { type: string; value: unknown } | undefined>): string {
  const lines = Object.entries(attributes).map(([name, a]) => {
    const v = a?.value;
    const text =
      v && typeof v === "object" && "dims" in v
        ? `tensor (${(v as { dims: number[] }).dims.join(", ")})`
        : JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? Number(x) : x));
    return `${name}: ${text}`;
  });
  return lines.join("\n") || "none";
}
