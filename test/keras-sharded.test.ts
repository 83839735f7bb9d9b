/**
 * Keras 3's sharded weights (`save_weights("m.weights.json", max_shard_size=...)`, saving_lib's
 * ShardedH5IOStore), both ways: every fixture round-trips bit for bit through shards, the shards are
 * dealt out as Keras deals them (same manifest text, shard names, groups in each shard), the limit holds,
 * and the size limit is read as Keras reads it. Hostile manifests: keras-sharded-hostile.test.ts; the
 * command line and the Keras-style API: keras-sharded-cli.test.ts.
 */
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withH5Reader } from "../src/formats/hdf5/reader.js";
import { dtypeBits, manifestText, shardSizeBytes } from "../src/formats/keras-zip/sharded-layout.js";
import { kerasVarsEntries } from "../src/formats/keras-zip/weights-h5.js";
import { writeKerasWeightsFile } from "../src/formats/keras-zip/weights-write.js";
import { openModel } from "../src/formats/open.js";
import { saveModel } from "../src/formats/save.js";
import type { Graph } from "../src/ir/graph.js";
import { WeightData } from "../src/ir/weights.js";
import { FIXTURES } from "./fixture-files.js";
import { registryWithCustoms } from "./support/custom-layers.js";

const registry = registryWithCustoms();
const SEED = join(FIXTURES, "keras3/seed");
const MODELS = [
  ...readdirSync(SEED).map((d) => join(SEED, d, "model.keras")),
  join(FIXTURES, "keras3/train/mlp_adam/trained.keras"), // a Keras 3 optimizer's variables: optimizer/vars
];
const MNIST = join(SEED, "mnist_mlp/model.keras");
const fresh = () => mkdtempSync(join(tmpdir(), "kerasgraph-sharded-"));
const open = async (path: string, weightsFile?: string) =>
  (await openModel(path, { registry, ...(weightsFile ? { weightsFile } : {}) })).graph;

/** Every dataset of an HDF5 file (read by the HDF5 library itself), by path, with its size as Keras counts it. */
async function datasets(path: string): Promise<Map<string, number>> {
  return withH5Reader(
    path,
    (r) => {
      const out = new Map<string, number>();
      const walk = (at: string) => {
        for (const c of r.children(at)) {
          const p = `${at === "/" ? "" : at}/${c}`;
          if (r.kind(p) === "group") walk(p);
          else {
            const d = r.dataset(p);
            out.set(p, (d.size * dtypeBits(d.dtype)) / 8);
          }
        }
      };
      walk("/");
      return out;
    },
    { engine: "hdf5" },
  );
}

/** The `vars` groups of an HDF5 file with their `name` attributes: "layers/dense/vars name=dense". */
async function groups(path: string): Promise<string[]> {
  return withH5Reader(path, (r) => {
    const out: string[] = [];
    const walk = (at: string) => {
      for (const c of r.children(at)) {
        const p = `${at}/${c}`;
        if (r.kind(p) !== "group") continue;
        const name = r.attr(p, "name");
        if (c === "vars") out.push(`${p.slice(1)}${name === undefined ? "" : ` name=${String(name)}`}`);
        else walk(p);
      }
    };
    walk("");
    return out;
  });
}

/** A digest of every weight (nested models' too) and optimizer variable, by name: bit-identical or not. */
function weightDigests(graph: Graph, out = new Map<string, string>(), prefix = ""): Map<string, string> {
  const digest = (d: WeightData) => {
    const v = d.values;
    return `${d.dtype}[${d.shape}] ${createHash("sha256")
      .update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength))
      .digest("hex")}`;
  };
  for (const layer of graph.layers) {
    if (layer.subgraph) weightDigests(layer.subgraph, out, `${prefix}${layer.name}/`);
    for (const [name, data] of layer.values) out.set(`${prefix}${layer.name}/${name}`, digest(data));
  }
  graph.optimizer?.variables.forEach((v, i) => out.set(`optimizer/${i}`, digest(v.data)));
  return out;
}

/** Every variable in the order Keras writes them, `/layers/dense/vars/0`, ..., with its size as Keras counts it. */
const variables = (graph: Graph): [string, number][] =>
  kerasVarsEntries(graph, (l) => registry.get(l.className, l.meta.registeredName)?.className ?? l.className).flatMap(
    (e) => e.values.map((d, i): [string, number] => [`/${e.vars}/${i}`, (d.size * dtypeBits(d.dtype)) / 8]),
  );

describe("sharded weights round trip", () => {
  it.each(MODELS.map((m) => [m.slice(FIXTURES.length + 1), m]))(
    "%s: bit-identical through shards at its largest variable's size and at Keras's default",
    async (_, model) => {
      const source = await open(model);
      const largest = Math.max(...variables(source).map(([, bytes]) => bytes));
      expect(weightDigests(source).size).toBeGreaterThan(1);
      for (const size of [`${largest}B`, undefined]) {
        const dir = fresh();
        const files = await writeKerasWeightsFile(source, join(dir, "model.weights.json"), {
          registry,
          ...(size ? { maxShardSize: size } : {}),
        });
        const back = await open(model, files[0]);
        expect(weightDigests(back)).toEqual(weightDigests(source));
        expect(readdirSync(dir).sort()).toEqual(files.map((f) => f.slice(dir.length + 1)).sort());
        if (size) expect(files.length).toBeGreaterThan(2);
        else expect(files.length).toBe(2); // everything fits in one 5 GB shard
      }
    },
  );

  it("a one-file .weights.h5 (save_weights without max_shard_size) reads back the same", async () => {
    const source = await open(MNIST);
    const dest = join(fresh(), "m.weights.h5");
    expect(await saveModel(source, dest)).toBe("weights");
    expect(weightDigests(await open(MNIST, dest))).toEqual(weightDigests(source));
  });
});

describe("the shards Keras deals out", () => {
  // mnist_mlp: dense kernel 784x64 float32 = 200,704 bytes = 196 KB exactly, so its bias opens shard 1.
  const manifestFor196KB =
    "{\n" +
    '    "metadata": {\n' +
    '        "total_size": 220200.0\n' +
    "    },\n" +
    '    "weight_map": {\n' +
    '        "/layers/dense/vars": [\n' +
    '            "m_00000.weights.h5",\n' +
    '            "m_00001.weights.h5"\n' +
    "        ],\n" +
    '        "/layers/dense_1/vars": [\n' +
    '            "m_00001.weights.h5"\n' +
    "        ],\n" +
    '        "/layers/dense_2/vars": [\n' +
    '            "m_00001.weights.h5"\n' +
    "        ]\n" +
    "    }\n" +
    "}";

  it("match ShardedH5IOStore: manifest text, shard names, each group in the shard open when it was made", async () => {
    const dir = fresh();
    const files = await writeKerasWeightsFile(await open(MNIST), join(dir, "m.weights.h5"), { maxShardSize: "196KB" });
    // A .weights.h5 name given a max shard size becomes .weights.json, as Keras renames it.
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      "m.weights.json",
      "m_00000.weights.h5",
      "m_00001.weights.h5",
    ]);
    expect(readFileSync(files[0]!, "utf8")).toBe(manifestFor196KB);
    // Shard 0: every group made before the roll-over, named; shard 1: dense's group again, unnamed.
    expect(await groups(files[1]!)).toEqual([
      "layers/dense/vars name=dense",
      "layers/input_layer/vars name=input_layer",
      "vars name=mnist_model",
    ]);
    expect(await groups(files[2]!)).toEqual([
      "layers/dense/vars",
      "layers/dense_1/vars name=dense_1",
      "layers/dense_2/vars name=dense_2",
    ]);
    expect([...(await datasets(files[1]!)).keys()]).toEqual(["/layers/dense/vars/0"]);
    expect([...(await datasets(files[2]!)).keys()]).toEqual([
      "/layers/dense/vars/1",
      "/layers/dense_1/vars/0",
      "/layers/dense_1/vars/1",
      "/layers/dense_2/vars/0",
      "/layers/dense_2/vars/1",
    ]);
  });

  it("fill each shard up to the limit and no further (a variable that does not fit opens the next)", async () => {
    const graph = await open(join(SEED, "ticket_classifier/model.keras"));
    for (const limit of ["2.5MB", "3MB", "0.004"]) {
      const dir = fresh();
      const files = await writeKerasWeightsFile(graph, join(dir, "t.weights.json"), { maxShardSize: limit });
      const bytes = shardSizeBytes(limit);
      const shards = await Promise.all(files.slice(1).map(datasets));
      const used = shards.map((s) => [...s.values()].reduce((a, b) => a + b, 0));
      expect(
        used.every((u) => u <= bytes),
        `${limit}: ${used}`,
      ).toBe(true);
      const order = variables(graph).map(([path]) => path);
      shards.slice(1).forEach((s, i) => expect(used[i]! + s.get(order.find((p) => s.has(p))!)!).toBeGreaterThan(bytes));
      const manifest = JSON.parse(readFileSync(files[0]!, "utf8"));
      expect(Object.keys(manifest)).toEqual(["metadata", "weight_map"]);
      expect(manifest.metadata.total_size).toBe(used.reduce((a, b) => a + b, 0));
    }
  });

  it("refuse a variable larger than the limit, as Keras does, naming it and writing nothing", async () => {
    const dir = fresh();
    const graph = await open(MNIST);
    await expect(writeKerasWeightsFile(graph, join(dir, "m.weights.json"), { maxShardSize: "100KB" })).rejects.toThrow(
      /m\.weights\.json: layer 'dense' \(Dense\) weight 'kernel' of shape \(784, 64\) is 196\.00 KB, over the maximum shard size 100\.00 KB\. .*at least 200704 bytes/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it("write a shard at a time, releasing each value, and leave nothing behind when a write fails", async () => {
    const graph = await open(join(SEED, "toy_resnet/model.keras"));
    const dir = fresh();
    await writeKerasWeightsFile(graph, join(dir, "r.weights.json"), { maxShardSize: "200KB" });
    expect(graph.layers.flatMap((l) => [...l.values.values()]).every((d) => !d.loaded)).toBe(true);
    const dense = graph.layers.find((l) => l.name === "dense")!;
    const kernel = dense.values.get("kernel")!;
    dense.values.set(
      "kernel",
      new WeightData("float32", kernel.shape, () => {
        throw new Error("disk gone");
      }),
    );
    const failing = fresh();
    await expect(
      writeKerasWeightsFile(graph, join(failing, "r.weights.json"), { maxShardSize: "200KB" }),
    ).rejects.toThrow("disk gone");
    expect(readdirSync(failing)).toEqual([]);
  });

  it("read a Keras 3.10 manifest, which lists only the first shard of a group split across two", async () => {
    const dir = fresh();
    const source = await open(MNIST);
    const [manifest] = await writeKerasWeightsFile(source, join(dir, "m.weights.json"), { maxShardSize: "196KB" });
    const json = JSON.parse(readFileSync(manifest!, "utf8"));
    json.weight_map["/layers/dense/vars"] = "m_00000.weights.h5";
    mkdirSync(join(dir, "v310"));
    for (const f of readdirSync(dir).filter((n) => n.endsWith(".h5"))) copyFileSync(join(dir, f), join(dir, "v310", f));
    writeFileSync(join(dir, "v310/m.weights.json"), JSON.stringify(json));
    expect(weightDigests(await open(MNIST, join(dir, "v310/m.weights.json")))).toEqual(weightDigests(source));
  });
});

describe("shard sizes", () => {
  it.each([
    [0.25, 0.25 * 1024 ** 3],
    ["2GB", 2 * 1024 ** 3],
    ["500MB", 500 * 1024 ** 2],
    ["64 KiB", 64 * 1024],
    ["1048576B", 1048576],
    ["1.5", 1.5 * 1024 ** 3],
  ])("%s is %d bytes (Keras's 1024-based GB)", (size, bytes) => {
    expect(shardSizeBytes(size)).toBe(bytes);
  });

  it.each([["0"], ["-1GB"], ["2 GB of it"], [""], [Number.NaN]])("%s is refused", (size) => {
    expect(() => shardSizeBytes(size)).toThrow(/maximum shard size must be a positive number/);
  });

  it("the manifest's total_size is Python's float repr, 0 when nothing was written; text is ASCII", () => {
    const map = new Map([["layers/dénse/vars", "m_00000.weights.h5"]]);
    expect(manifestText(0.375, true, map)).toContain('"total_size": 0.375\n');
    expect(manifestText(3e16, true, map)).toContain('"total_size": 3e+16\n');
    expect(manifestText(0, false, new Map())).toBe(
      '{\n    "metadata": {\n        "total_size": 0\n    },\n    "weight_map": {}\n}',
    );
    expect(manifestText(8, true, map)).toContain('"/layers/d\\u00e9nse/vars": "m_00000.weights.h5"');
  });
});
