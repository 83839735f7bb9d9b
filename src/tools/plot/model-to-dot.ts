import type { Graph, Layer } from "../../ir/graph.js";
import { flattenIO } from "../../ir/order.js";
import { kerasClassName } from "../summary/index.js";
import { modelView } from "../summary/model-view.js";
import { layerLabel } from "./label.js";
import { type DotOptions, type ResolvedDotOptions, resolveDotOptions } from "./options.js";

/**
 * Keras 3's `keras.utils.model_to_dot(model, ...)` as DOT text: one node per layer of the model
 * (`Sequential.layers` or `Functional._operations`) with Keras's HTML-like label, one edge per
 * (producer, consumer) pair over every call of the model (a shared layer shows all its calls), and with
 * `expandNested` each nested Functional or Sequential as a dashed cluster whose edges reach the layers
 * inside it. The graph attributes are Keras's: `rankdir`, `concentrate`, `dpi`, `splines`,
 * `node [shape=record]`.
 */
export function modelToDot(graph: Graph, options: DotOptions = {}): string {
  const opts = resolveDotOptions(options);
  const writer = new DotWriter(opts);
  const lines = [
    "digraph G {",
    `rankdir=${opts.rankdir};`,
    "concentrate=true;",
    `dpi=${opts.dpi};`,
    `splines=${quoteId(opts.splines)};`,
    "node [shape=record];",
    ...writer.model(graph, ""),
    "}",
  ];
  return lines.join("\n") + "\n";
}

/** Walks a model and its nested models, giving every drawn layer one DOT id. */
class DotWriter {
  private readonly ids = new Map<Layer, string>();
  private readonly taken = new Set<string>();

  constructor(private readonly opts: ResolvedDotOptions) {}

  /** The statements of one model: its nodes (clusters in place of expanded nested models), then its edges. */
  model(graph: Graph, path: string): string[] {
    const { expandNested } = this.opts;
    const view = modelView(graph);
    const sequential = view.calls === null;
    const lines: string[] = [];
    for (const layer of view.layers) {
      if (expandNested && isNestedModel(layer)) lines.push(...this.cluster(layer, path));
      else if (!this.ids.has(layer)) lines.push(this.node(layer, path));
    }

    const edges = new Set<string>();
    const addEdge = (source: Layer, destination: Layer): void => {
      const edge = `${this.idOf(source, path)} -> ${this.idOf(destination, path)}`;
      if (edges.has(edge)) return;
      edges.add(edge);
      lines.push(`${edge} [penwidth=2];`);
    };
    if (sequential && !expandNested) {
      for (let i = 0; i + 1 < view.layers.length; i++) addEdge(view.layers[i]!, view.layers[i + 1]!);
      return lines;
    }
    // A nested Sequential's first layer is fed from outside: the edge into the Sequential draws it.
    const targets = sequential ? view.layers.slice(1) : view.layers;
    for (const layer of targets) {
      for (const call of layer.calls) {
        if (view.calls && !view.calls.has(call)) continue;
        call.inputs.forEach((tensor, inputIndex) => {
          let source = tensor.layer;
          let outputIndex = tensor.index;
          let destination = layer;
          if (expandNested) {
            // Nested models have no box of their own: go to the layer that makes the output...
            while (isNestedModel(source)) {
              const sub = source.subgraph!;
              const out = flattenIO(sub.outputs, sub.outputStructure)[outputIndex]!;
              source = out.layer;
              outputIndex = out.index;
            }
            // ... and to the InputLayer (Functional) or first layer (Sequential) that takes the input.
            while (isNestedModel(destination)) {
              const sub = destination.subgraph!;
              destination =
                kerasClassName(destination) === "Sequential"
                  ? modelView(sub).layers[0]!
                  : flattenIO(sub.inputs, sub.inputStructure)[inputIndex]!.layer;
            }
          }
          addEdge(source, destination);
        });
      }
    }
    return lines;
  }

  private cluster(layer: Layer, path: string): string[] {
    const inner = path ? `${path}/${layer.name}` : layer.name;
    return [
      `subgraph ${quoteId(`cluster_${inner}`)} {`,
      `label=${quoteId(layer.name)};`,
      "labeljust=l;",
      "style=dashed;",
      ...this.model(layer.subgraph!, inner),
      "}",
    ];
  }

  private node(layer: Layer, path: string): string {
    return `${this.idOf(layer, path)} [label=${layerLabel(layer, this.opts)}, fontname=Helvetica, border=0, margin=0];`;
  }

  /** The layer's id: its name, prefixed by the nested models around it (`encoder/dense`), quoted. */
  private idOf(layer: Layer, path: string): string {
    let id = this.ids.get(layer);
    if (id !== undefined) return id;
    const base = path ? `${path}/${layer.name}` : layer.name;
    let name = base;
    for (let n = 1; this.taken.has(name); n++) name = `${base}#${n}`;
    this.taken.add(name);
    id = quoteId(name);
    this.ids.set(layer, id);
    return id;
  }
}

/** A Functional or Sequential used as a layer: `expand_nested` opens it. */
function isNestedModel(layer: Layer): boolean {
  return layer.subgraph !== undefined;
}

/** A DOT ID: plain when it is a simple word, else double-quoted with `"` and `\` escaped. */
export function quoteId(text: string): string {
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(text) && !/^(node|edge|graph|digraph|subgraph|strict)$/i.test(text)) return text;
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}
