import type { Graph, Layer } from "../../src/ir/graph.js";
import type { WeightData } from "../../src/ir/weights.js";

/** Every weight of a graph by "layer/weight" path (nested models as "outer/inner/layer/weight"), once per layer object. */
export function weightsByPath(
  graph: Graph,
): Map<string, { layer: Layer; data: WeightData | undefined; dtype: string }> {
  const out = new Map<string, { layer: Layer; data: WeightData | undefined; dtype: string }>();
  const seen = new Set<Layer>();
  const visit = (g: Graph, prefix: string) => {
    for (const layer of g.layers) {
      if (seen.has(layer)) continue;
      seen.add(layer);
      if (layer.subgraph) visit(layer.subgraph, `${prefix}${layer.name}/`);
      for (const w of layer.weights ?? [])
        out.set(`${prefix}${layer.name}/${w.name}`, { layer, data: layer.values.get(w.name), dtype: w.dtype });
    }
  };
  visit(graph, "");
  return out;
}

/** The raw bytes of a value (typed arrays compare bit for bit, NaN payloads included). */
export function bytesOf(data: WeightData): Uint8Array {
  const v = data.values;
  return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
}

/** Paths whose values differ between two graphs (missing, dtype, shape or any byte), empty when bit-identical. */
export function weightDifferences(a: Graph, b: Graph): string[] {
  const wa = weightsByPath(a);
  const wb = weightsByPath(b);
  const diffs: string[] = [];
  for (const key of new Set([...wa.keys(), ...wb.keys()])) {
    const x = wa.get(key)?.data;
    const y = wb.get(key)?.data;
    if (!x || !y) diffs.push(`${key}: ${x ? "only in the first" : y ? "only in the second" : "no value in either"}`);
    else if (x.dtype !== y.dtype || x.shape.join() !== y.shape.join()) {
      diffs.push(`${key}: ${x.dtype}(${x.shape}) vs ${y.dtype}(${y.shape})`);
    } else if (!Buffer.from(bytesOf(x)).equals(Buffer.from(bytesOf(y)))) diffs.push(`${key}: values differ`);
  }
  return diffs;
}

/** Count of weights with and without values. */
export function valueCounts(graph: Graph): { weights: number; values: number } {
  let weights = 0;
  let values = 0;
  for (const { data } of weightsByPath(graph).values()) {
    weights++;
    if (data) values++;
  }
  return { weights, values };
}
