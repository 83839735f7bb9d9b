import "../../src/layers/index.js";
import type { Graph } from "../../src/ir/graph.js";
import { WeightData } from "../../src/ir/weights.js";
import { readKerasJson } from "../../src/formats/keras-json/read.js";

/** A Keras 3 Sequential model from an input shape and `[class_name, config]` pairs, built by the reader. */
export function sequential(
  inputShape: (number | null)[],
  layers: [string, Record<string, unknown>][],
  inputDtype = "float32",
): Graph {
  return readKerasJson({
    class_name: "Sequential",
    config: {
      name: "model",
      layers: [
        { class_name: "InputLayer", config: { name: "x", batch_shape: [null, ...inputShape], dtype: inputDtype } },
        ...layers.map(([class_name, config], i) => ({ class_name, config: { name: `l${i}`, ...config } })),
      ],
    },
  });
}

/** A small deterministic generator (mulberry32), so hand-set weights are the same on every run. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

/** Sets random float32 values for every weight the layers built (as a file with weights would). */
export function fillWeights(graph: Graph, seed = 1): void {
  const rnd = random(seed);
  const visit = (g: Graph) => {
    for (const layer of g.layers) {
      if (layer.subgraph) visit(layer.subgraph);
      for (const w of layer.weights ?? []) {
        const n = w.shape.reduce((a, b) => a * b, 1);
        const values = Float32Array.from({ length: n }, () => rnd());
        if (w.name.endsWith("variance")) values.forEach((v, i) => (values[i] = Math.abs(v) + 0.5));
        layer.values.set(w.name, new WeightData("float32", w.shape, values));
      }
    }
  };
  visit(graph);
}
