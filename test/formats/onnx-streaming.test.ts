/**
 * Converting with bounded memory: the exporter lays weights out into initializers only when the file
 * is written (one at a time, dropped again), the importer reads external data when a weight is used,
 * and the Keras metadata points every weight at its initializer without comparing values — including
 * weights the exporter reshaped (a depthwise kernel with depth_multiplier 2). The transposes themselves
 * are checked in transpose-wasm.test.ts.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Input, Model, layers } from "../../src/api/index.js";
import { writeKerasArchive } from "../../src/formats/keras-zip/write.js";
import { KERAS_WEIGHTS_KEY, type WeightSource } from "../../src/formats/onnx/keras-metadata.js";
import { readOnnxBytes } from "../../src/formats/onnx/import/read-model.js";
import { writeOnnxFileExternal } from "../../src/formats/onnx/write-external.js";
import { openModel } from "../../src/formats/open.js";
import type { Graph } from "../../src/ir/graph.js";
import { WeightData } from "../../src/ir/weights.js";
import { readFileSync } from "node:fs";
import { weightBytes } from "../support/cli.js";
import { KERAS3 } from "../support/fixtures.js";

/** A model with random weights whose values load on first use and can be dropped again. */
function lazyWeights(graph: Graph, seed = 7): void {
  let s = seed;
  for (const layer of graph.layers) {
    for (const w of layer.weights ?? []) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      const mySeed = s++;
      layer.values.set(
        w.name,
        new WeightData("float32", w.shape, () =>
          Float32Array.from({ length: n }, (_, i) => Math.sin(mySeed * 1000 + i)),
        ),
      );
    }
  }
}

describe("ONNX conversion holds one weight at a time", () => {
  const dir = mkdtempSync(join(tmpdir(), "kerasgraph-onnx-stream-"));

  it("exporting a lazily read .keras leaves every weight unloaded, and the file restores them bit for bit", async () => {
    const { graph } = await openModel(join(KERAS3, "seed/toy_resnet/model.keras"));
    const want = weightBytes((await openModel(join(KERAS3, "seed/toy_resnet/model.keras"))).graph);
    const weights = graph.layers.flatMap((l) => [...l.values.values()]);
    expect(weights.length).toBeGreaterThan(10);
    expect(weights.every((w) => !w.loaded)).toBe(true);
    const path = join(dir, "toy_resnet.onnx");
    await writeOnnxFileExternal(graph, path, { externalData: "always" });
    expect(weights.filter((w) => w.loaded)).toEqual([]);

    const back = (await openModel(path)).graph;
    const restored = back.layers.flatMap((l) => [...l.values.values()]);
    expect(restored.length).toBe(weights.length);
    // The restored weights read the data file when used, not when the model is opened.
    expect(restored.filter((w) => w.loaded)).toEqual([]);
    expect(weightBytes(back)).toEqual(want);
  });

  it("points reshaped weights at their initializers (depthwise_multiplier 2) instead of copying them", async () => {
    const x = Input({ shape: [9, 9, 3], name: "image" });
    let y = layers.DepthwiseConv2D(3, { depth_multiplier: 2, name: "dw" })(x);
    y = layers.SeparableConv2D(5, 3, { depth_multiplier: 2, name: "sep" })(y);
    y = layers.Conv2DTranspose(8, 3, { name: "up" })(y);
    const graph = new Model(x, y, { name: "layouts" }).graph;
    lazyWeights(graph);
    const keras = join(dir, "layouts.keras");
    await writeKerasArchive(graph, keras);
    const path = join(dir, "layouts.onnx");
    await writeOnnxFileExternal((await openModel(keras)).graph, path, { externalData: "always" });

    const read = readOnnxBytes(readFileSync(path), { file: path });
    const sources = JSON.parse(read.metadata[KERAS_WEIGHTS_KEY]!) as WeightSource[];
    const byName = new Map(sources.map((s) => [`${s.layer}/${s.weight}`, s]));
    expect(byName.get("dw/kernel")).toMatchObject({ initializer: expect.any(String), layout: [3, 2, 3, 3] });
    expect(byName.get("sep/depthwise_kernel")?.initializer).toBeDefined();
    expect(byName.get("sep/pointwise_kernel")?.initializer).toBeDefined();
    // The exporter rewrites a stride-1 ConvTranspose as a Conv with a flipped kernel: that weight is
    // stored in the metadata itself.
    expect(byName.get("up/kernel")?.data).toBeDefined();

    const want = weightBytes((await openModel(keras)).graph);
    expect(weightBytes((await openModel(path)).graph)).toEqual(want);
  });
});
