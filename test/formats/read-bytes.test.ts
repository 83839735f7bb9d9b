import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Graph } from "../../src/ir/graph.js";
import { openModel } from "../../src/formats/open.js";
import { readModelBytes } from "../../src/formats/read-bytes.js";
import { writeOnnxFileExternal } from "../../src/formats/onnx/write-external.js";
import { FormatError } from "../../src/ir/errors.js";
import { summaryText } from "../../src/tools/summary/index.js";
import { FIXTURES } from "../fixture-files.js";

/** Every variable's values as "layer/weight" → bytes, for bit-for-bit comparison. */
function weightBytes(graph: Graph): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (g: Graph, prefix: string) => {
    for (const layer of g.uniqueLayers()) {
      if (layer.subgraph) visit(layer.subgraph, `${prefix}${layer.name}/`);
      for (const [name, data] of layer.values) {
        const v = data.values;
        out.set(
          `${prefix}${layer.name}/${name}`,
          `${data.dtype} ${data.shape} ${createHash("sha1")
            .update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength))
            .digest("hex")}`,
        );
      }
    }
  };
  visit(graph, "");
  return out;
}

const SAME_AS_OPEN_MODEL = [
  "keras3/seed/toy_resnet/model.keras",
  "keras3/seed/toy_resnet/model.h5",
  "keras3/seed/toy_resnet/model.json",
  "keras3/seed/nested_autoencoder/model.keras",
  "keras3/seed/ticket_classifier/model.keras",
  "keras3/seed/ensemble/model.h5",
  "real/AniketDogra+GuessTheDoodle/model/model.h5",
  "real/FrederickRoman+divorce-predictor/nnModel/divorce_model.h5",
  "keras3/seed/mnist_mlp/keras_export.onnx",
  "real/onnx+onnx/onnx/backend/test/data/pytorch-converted/test_Conv2d/model.onnx",
];

describe("readModelBytes (no file system: the browser's reader)", () => {
  it.for(SAME_AS_OPEN_MODEL)("%s: the same graph, summary and weights as openModel", async (rel) => {
    const path = join(FIXTURES, rel);
    const ours = await readModelBytes(new Uint8Array(readFileSync(path)), basename(path));
    const theirs = await openModel(path, { lazy: false });
    expect(ours.format).toBe(theirs.format);
    expect(ours.kerasVersion).toBe(theirs.kerasVersion);
    expect(summaryText(ours.graph, { lineLength: 110 })).toBe(summaryText(theirs.graph, { lineLength: 110 }));
    const got = weightBytes(ours.graph);
    expect(got).toEqual(weightBytes(theirs.graph));
    if (!rel.endsWith(".json")) expect(got.size).toBeGreaterThan(0);
  });

  it("reads a TF.js model.json with its shards: the same weights as the Keras .h5 it was converted from", async () => {
    const dir = join(FIXTURES, "real/FrederickRoman+divorce-predictor/tfjs");
    const companions = new Map([
      ["group1-shard1of1.bin", new Uint8Array(readFileSync(join(dir, "group1-shard1of1.bin")))],
    ]);
    const tfjs = await readModelBytes(new Uint8Array(readFileSync(join(dir, "model.json"))), "model.json", {
      companions,
    });
    expect(tfjs.format).toBe("tfjs");
    expect(tfjs.missingFiles).toEqual([]);
    const h5 = await openModel(join(dir, "../nnModel/divorce_model.h5"), { lazy: false });
    expect(weightBytes(tfjs.graph)).toEqual(weightBytes(h5.graph));
    expect(weightBytes(tfjs.graph).size).toBe(2);
  });

  it("reads a TF.js model.json without its shards as an architecture, naming the missing files", async () => {
    const path = join(FIXTURES, "real/tensorflow+tfjs-examples/abalone-node/trainedModel/model.json");
    const model = await readModelBytes(new Uint8Array(readFileSync(path)), "model.json");
    expect(model.missingFiles).toEqual(["weights.bin"]);
    expect(weightBytes(model.graph).size).toBe(0);
    const withShard = await readModelBytes(new Uint8Array(readFileSync(path)), "model.json", {
      companions: new Map([["weights.bin", new Uint8Array(readFileSync(join(dirname(path), "weights.bin")))]]),
    });
    expect(weightBytes(withShard.graph).size).toBeGreaterThan(0);
  });

  it.for(["seed+mnist_mlp", "zoo+recurrent_family", "seed+nested_autoencoder"])(
    "reads a Keras model folder given as files (%s): config.json with its weights and metadata, as openModel reads the folder",
    async (name) => {
      const dir = join(FIXTURES, "keras3-written/unzipped", name, "model");
      const file = (f: string) => new Uint8Array(readFileSync(join(dir, f)));
      const companions = new Map(["model.weights.h5", "metadata.json"].map((f) => [f, file(f)]));
      const ours = await readModelBytes(file("config.json"), "config.json", { companions });
      const theirs = await openModel(dir, { lazy: false });
      expect(ours.kerasVersion).toBe(theirs.kerasVersion);
      expect(summaryText(ours.graph, { lineLength: 110 })).toBe(summaryText(theirs.graph, { lineLength: 110 }));
      const got = weightBytes(ours.graph);
      expect(got.size).toBeGreaterThan(0);
      expect(got).toEqual(weightBytes(theirs.graph));
      // Without the weights file it is the architecture alone; a weights file that is neither HDF5 nor npz is named.
      const bare = await readModelBytes(file("config.json"), "config.json");
      expect(weightBytes(bare.graph).size).toBe(0);
      const junk = new Map([["model.weights.h5", new TextEncoder().encode("junk")]]);
      await expect(readModelBytes(file("config.json"), "config.json", { companions: junk })).rejects.toThrow(
        /^model\.weights\.h5: is neither HDF5 nor a NumPy \.npz archive/,
      );
    },
  );

  it("refuses an ONNX model whose weights are in an external data file, naming it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kerasgraph-read-bytes-"));
    const { graph } = await openModel(join(FIXTURES, "keras3/seed/mnist_mlp/model.keras"));
    await writeOnnxFileExternal(graph, join(dir, "mlp.onnx"), { externalData: "always" });
    await expect(readModelBytes(new Uint8Array(readFileSync(join(dir, "mlp.onnx"))), "mlp.onnx")).rejects.toThrow(
      /^mlp\.onnx: .*keeps its data in the external file 'mlp\.onnx\.data'/,
    );
  });

  it("names the file in a FormatError for damaged bytes", async () => {
    const keras = readFileSync(join(FIXTURES, "keras3/seed/toy_resnet/model.keras"));
    await expect(readModelBytes(new Uint8Array(keras.subarray(0, 4000)), "cut.keras")).rejects.toThrow(FormatError);
    const h5 = readFileSync(join(FIXTURES, "keras3/seed/toy_resnet/model.h5"));
    await expect(readModelBytes(new Uint8Array(h5.subarray(0, 3000)), "cut.h5")).rejects.toThrow(/^cut\.h5: /);
    await expect(readModelBytes(new TextEncoder().encode("not a model"), "x.bin")).rejects.toThrow(
      /^x\.bin: .*Received/,
    );
  });
});

describe("TF.js shards as bytes", () => {
  it("dequantizes uint8 (q * scale + min) and float16 weights, pairing them by name", async () => {
    const dir = join(FIXTURES, "real/FrederickRoman+divorce-predictor/tfjs");
    const json = JSON.parse(readFileSync(join(dir, "model.json"), "utf8")) as Record<string, unknown>;
    const kernel = Uint8Array.from({ length: 54 * 2 }, (_, i) => i % 256);
    const bias = Uint16Array.of(0x3c00, 0xc000); // float16 1.0, -2.0
    json.weightsManifest = [
      {
        paths: ["./w%201.bin"],
        weights: [
          // Listed bias first: pairing goes by name, not position.
          { name: "dense/bias", shape: [2], dtype: "float32", quantization: { dtype: "float16" } },
          {
            name: "dense/kernel",
            shape: [54, 2],
            dtype: "float32",
            quantization: { dtype: "uint8", scale: 0.5, min: -1 },
          },
        ],
      },
    ];
    const shard = new Uint8Array([...new Uint8Array(bias.buffer), ...kernel]);
    const model = await readModelBytes(new TextEncoder().encode(JSON.stringify(json)), "model.json", {
      companions: new Map([["w 1.bin", shard]]),
    });
    const dense = model.graph.layers.find((l) => l.values.size)!;
    expect(Array.from(dense.values.get("bias")!.values as Float32Array)).toEqual([1, -2]);
    expect(Array.from(dense.values.get("kernel")!.values as Float32Array).slice(0, 4)).toEqual([-1, -0.5, 0, 0.5]);
  });

  it("names the shard that is too short", async () => {
    const dir = join(FIXTURES, "real/FrederickRoman+divorce-predictor/tfjs");
    const companions = new Map([["group1-shard1of1.bin", new Uint8Array(100)]]);
    await expect(
      readModelBytes(new Uint8Array(readFileSync(join(dir, "model.json"))), "model.json", { companions }),
    ).rejects.toThrow(/^model\.json: weight 'dense\/kernel' needs bytes 0\.\.432 .*group1-shard1of1\.bin/);
  });
});
