import { describeGaps, tfjsGaps } from "../../formats/tfjs/tfjs-support.js";
import { UnsupportedLayerError } from "../../ir/errors.js";
import type { Graph } from "../../ir/graph.js";

/** Throws one UnsupportedLayerError naming every layer that keeps tfjs-layers from running the graph. */
export function assertTfjsCanRun(graph: Graph): void {
  const gaps = tfjsGaps(graph);
  if (gaps.length === 0) return;
  throw new UnsupportedLayerError(
    gaps[0]!.className,
    `tfjs-layers cannot run model '${graph.name}': ${gaps.length} layer(s) block it. Received: ${describeGaps(gaps)}. ` +
      `Run it on onnxruntime (--engine onnx) instead.`,
  );
}
