/**
 * .keras → .onnx → Keras: every seed and zoo model written by our ONNX exporter (writeOnnxFile, which
 * embeds the Keras model in metadata_props) and read back through openModel restores the same config
 * and the same weights, bit for bit. The same file with its metadata ignored (or stale) is imported as
 * a foreign graph instead.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeKerasJson } from "../../src/formats/keras-json/write.js";
import { importOnnxBytes } from "../../src/formats/onnx/import/import.js";
import { KERAS_WEIGHTS_KEY } from "../../src/formats/onnx/keras-metadata.js";
import { decodeOnnxModel, encodeOnnxModel } from "../../src/formats/onnx/proto.js";
import { writeOnnxFile } from "../../src/formats/onnx/write.js";
import { openModel } from "../../src/formats/open.js";
import type { Graph, Layer } from "../../src/ir/graph.js";
import { registryWithCustoms } from "../support/custom-layers.js";
import { KERAS3, keras3Cases } from "../support/fixtures.js";
import { emittersWithCustoms } from "../support/onnx-customs.js";

const registry = registryWithCustoms();
const emitters = emittersWithCustoms();
const dir = mkdtempSync(join(tmpdir(), "kerasgraph-onnx-roundtrip-"));

/** Every layer with values, by path, nested models included. */
function weightsByPath(graph: Graph, prefix = "", out = new Map<string, Layer>()): Map<string, Layer> {
  for (const l of graph.layers) {
    if (l.subgraph) weightsByPath(l.subgraph, `${prefix}${l.name}/`, out);
    else if (l.values.size) out.set(`${prefix}${l.name}`, l);
  }
  return out;
}

function expectSameWeights(got: Graph, want: Graph): void {
  const a = weightsByPath(got);
  const b = weightsByPath(want);
  expect([...a.keys()]).toEqual([...b.keys()]);
  for (const [path, layer] of b) {
    const other = a.get(path)!;
    expect([...other.values.keys()], path).toEqual([...layer.values.keys()]);
    for (const [name, w] of layer.values) {
      const v = other.values.get(name)!;
      expect(v.dtype, `${path}/${name}`).toBe(w.dtype);
      expect(v.shape, `${path}/${name}`).toEqual(w.shape);
      const bits = (x: typeof w) => Buffer.from(x.values.buffer, x.values.byteOffset, x.values.byteLength);
      expect(bits(v).equals(bits(w)), `${path}/${name} bit for bit`).toBe(true);
    }
  }
}

const cases = keras3Cases(["seed", "zoo"]).filter((c) => existsSync(join(KERAS3, c, "model.keras")));

describe("ONNX round trip: .keras → .onnx (our exporter) → Keras restores the model exactly", () => {
  it("covers every seed and zoo model", () => {
    expect(cases.length).toBe(17);
  });

  for (const c of cases) {
    it(c, async () => {
      const { graph } = await openModel(join(KERAS3, c, "model.keras"), { registry });
      const path = join(dir, `${c.replace("/", "_")}.onnx`);
      await writeOnnxFile(graph, path, { registry, emitters });
      const back = await openModel(path, { registry });
      expect(back.format).toBe("onnx");
      expect(writeKerasJson(back.graph)).toEqual(writeKerasJson(graph));
      expectSameWeights(back.graph, graph);
    });
  }

  it("a file whose graph changed after export is imported as a foreign graph, not from stale metadata", async () => {
    const { graph } = await openModel(join(KERAS3, "seed/mnist_mlp/model.keras"));
    const path = join(dir, "edited.onnx");
    await writeOnnxFile(graph, path);
    const model = decodeOnnxModel(new Uint8Array(readFileSync(path)));
    expect(model.metadata[KERAS_WEIGHTS_KEY]).toBeTruthy();
    // An optimizer fused or dropped a node: the fingerprint no longer matches.
    model.graph.nodes = model.graph.nodes.map((n) => (n.opType === "Relu" ? { ...n, opType: "Sigmoid" } : n));
    const imported = importOnnxBytes(encodeOnnxModel(model));
    expect(imported.restored).toBe(false);
    expect(imported.graph.layers.map((l) => `${l.className}:${String(l.config.activation ?? "")}`)).toEqual([
      "InputLayer:",
      "Dense:sigmoid",
      "Dense:sigmoid",
      "Dense:linear",
    ]);
  });

  it("kerasMetadata: false imports our own export as a foreign graph", async () => {
    const { graph } = await openModel(join(KERAS3, "seed/mnist_mlp/model.keras"));
    const path = join(dir, "mnist.onnx");
    await writeOnnxFile(graph, path);
    const imported = importOnnxBytes(new Uint8Array(readFileSync(path)), { kerasMetadata: false });
    expect(imported.restored).toBe(false);
    expect(imported.graph.layers.map((l) => l.className)).toEqual(graph.layers.map((l) => l.className));
  });
});
