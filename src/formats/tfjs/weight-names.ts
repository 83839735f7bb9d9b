import type { Graph } from "../../ir/graph.js";
import { isRecord } from "../model-json.js";
import { type WeightRef, legacyWeightOrder, savedLayers } from "../weight-values.js";

/** Keras 3 variable names that tfjs-layers (like tf.keras 2) spells differently, by layer class. */
const RENAMED: Record<string, Record<string, string>> = {
  DepthwiseConv2D: { kernel: "depthwise_kernel" },
};

/**
 * The name tfjs-layers gives a Keras variable (its `originalName`, which `loadLayersModel` matches the
 * manifest against): `<layer>/<variable>`, with the layer's own name even inside a nested model, an
 * RNN's cell left out, and a Bidirectional's halves as `<layer>/forward_<inner>/...` and
 * `<layer>/backward_<inner>/...` after the wrapped layer's name.
 */
export function tfjsWeightName(ref: WeightRef, indexInLayer: number, layerWeightCount: number): string {
  const { layer, weight } = ref;
  const short = weight.name.split("/").at(-1)!;
  const name = RENAMED[layer.className]?.[short] ?? short;
  if (layer.className === "Bidirectional") {
    const inner =
      isRecord(layer.config.layer) && isRecord(layer.config.layer.config) ? layer.config.layer.config.name : null;
    const half = indexInLayer < layerWeightCount / 2 ? "forward" : "backward";
    return `${layer.name}/${half}_${typeof inner === "string" ? inner : layer.name}/${name}`;
  }
  return `${layer.name}/${name}`;
}

/** Every variable of the graph with its tfjs name, in Keras's save order (nested models inline). */
export function tfjsWeightRefs(graph: Graph): { ref: WeightRef; name: string }[] {
  const out: { ref: WeightRef; name: string }[] = [];
  for (const top of savedLayers(graph)) {
    for (const ref of legacyWeightOrder(top)) {
      const own = ref.layer.weights ?? [];
      out.push({ ref, name: tfjsWeightName(ref, own.indexOf(ref.weight), own.length) });
    }
  }
  return out;
}
