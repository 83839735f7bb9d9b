import type { OnnxModel } from "../../src/formats/onnx/model.js";
import { quoteId } from "../../src/tools/plot/model-to-dot.js";

/** The id the diagram and inspector use for an ONNX node: its name, or `OpType_i` when unnamed. */
export function onnxNodeId(model: OnnxModel, index: number): string {
  const node = model.graph.nodes[index]!;
  return node.name || `${node.opType}_${index}`;
}

/**
 * An ONNX graph as DOT, drawn like a Keras diagram: one box per graph input, per node (op type and
 * name) and per graph output, edges along the values between them. Initializers (weights) are not
 * boxes; the inspector lists them under the node that reads them.
 */
export function onnxToDot(model: OnnxModel): string {
  const g = model.graph;
  const producer = new Map<string, string>();
  const lines = [
    "digraph G {",
    "rankdir=TB;",
    "dpi=72;",
    'node [shape=box, style="rounded,filled", fillcolor="#eef3fb", fontname=Helvetica];',
  ];
  for (const input of g.inputs) {
    if (g.initializers.some((t) => t.name === input.name)) continue;
    const id = `input:${input.name}`;
    producer.set(input.name, id);
    lines.push(`${quoteId(id)} [label=${label("Input", input.name)}, fillcolor="#e3f1e3"];`);
  }
  g.nodes.forEach((node, i) => {
    const id = onnxNodeId(model, i);
    for (const out of node.outputs) producer.set(out, id);
    lines.push(`${quoteId(id)} [label=${label(node.opType, id)}];`);
  });
  g.nodes.forEach((node, i) => {
    const id = onnxNodeId(model, i);
    for (const input of new Set(node.inputs)) {
      const from = producer.get(input);
      if (from) lines.push(`${quoteId(from)} -> ${quoteId(id)};`);
    }
  });
  for (const output of g.outputs) {
    const id = `output:${output.name}`;
    lines.push(`${quoteId(id)} [label=${label("Output", output.name)}, fillcolor="#fbeee3"];`);
    const from = producer.get(output.name);
    if (from) lines.push(`${quoteId(from)} -> ${quoteId(id)};`);
  }
  lines.push("}");
  return lines.join("\n") + "\n";
}

/** A DOT label of several lines (joined by DOT's newline escape; quotes and backslashes escaped). */
function label(...lines: string[]): string {
  return `"${lines.map((l) => l.replace(/\\/g, "\\\\").replace(/"/g, '\\"')).join("\\n")}"`;
}
