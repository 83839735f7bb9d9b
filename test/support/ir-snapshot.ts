import type { Graph, Tensor } from "../../src/ir/graph.js";
import { mapArgTree } from "../../src/ir/graph.js";

/**
 * A plain description of a graph for comparing two readings of the same model: layers (names, classes,
 * configs, metadata, weights), every call with its input tensors as labels (`dense[0][0]`) and, unless
 * `argumentTrees` is false, its args/kwargs trees with the labels in place of the tensors, every
 * output's shape and dtype, inputs, outputs (and whether given as one tensor, a list or a record) and
 * parameter counts; nested models recursively.
 */
export function describeGraph(
  graph: Graph,
  options: { configs?: boolean; meta?: boolean; structures?: boolean; argumentTrees?: boolean } = {},
): unknown {
  const { configs = true, meta = true, structures = true, argumentTrees = true } = options;
  const label = (t: Tensor) => t.label;
  return {
    name: graph.name,
    className: graph.className,
    config: configs ? graph.config : undefined,
    inputs: graph.inputs.map(label),
    outputs: graph.outputs.map(label),
    inputStructure: structures ? graph.inputStructure : undefined,
    outputStructure: structures ? graph.outputStructure : undefined,
    params: graph.paramCounts(),
    layers: graph.layers.map((l) => ({
      name: l.name,
      className: l.className,
      config: configs && !l.subgraph ? l.config : undefined,
      meta: meta ? l.meta : undefined,
      weights: l.weights,
      params: l.paramCounts(),
      calls: l.calls.map((c) => ({
        ...(argumentTrees ? { args: mapArgTree(c.args, label), kwargs: mapArgTree(c.kwargs, label) } : {}),
        inputs: c.inputs.map(label),
        outputs: c.outputs.map((t) => `${t.shape.map((d) => d ?? "None").join("x")} ${t.dtype}`),
      })),
      subgraph: l.subgraph ? describeGraph(l.subgraph, options) : undefined,
    })),
  };
}
