import { describeGaps, tfjsGaps } from "../../formats/tfjs/tfjs-support.js";
import { UnsupportedLayerError } from "../../ir/errors.js";
import type { Graph, Layer } from "../../ir/graph.js";
import { isLambdaLayer, lambdaRefusal } from "../../layers/core/lambda-function.js";
import { KERASGRAPH_TFJS_CLASSES } from "./layers/index.js";

/**
 * Throws one UnsupportedLayerError naming every layer that keeps tfjs-layers (with the layers kerasgraph
 * adds to it, layers/index.ts) from running the graph.
 */
export function assertTfjsCanRun(graph: Graph): void {
  const gaps = tfjsGaps(graph, "", KERASGRAPH_TFJS_CLASSES);
  if (gaps.length === 0) return;
  const lambda = findLambda(graph);
  if (lambda) throw lambdaRefusal(lambda.layer, `'${lambda.path}'`, "tfjs-layers");
  throw new UnsupportedLayerError(
    gaps[0]!.className,
    `tfjs-layers cannot run model '${graph.name}': ${gaps.length} layer(s) block it. Received: ${describeGaps(gaps)}. ` +
      `Run it on onnxruntime (--engine onnx) instead.`,
  );
}

/** The first Lambda layer of the graph or its nested models, with its path. */
function findLambda(graph: Graph, prefix = ""): { layer: Layer; path: string } | null {
  for (const layer of graph.uniqueLayers()) {
    if (isLambdaLayer(layer)) return { layer, path: prefix + layer.name };
    const inner = layer.subgraph ? findLambda(layer.subgraph, `${prefix}${layer.name}/`) : null;
    if (inner) return inner;
  }
  return null;
}
