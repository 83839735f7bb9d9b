import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync, strFromU8 } from "fflate";
import { describe, expect, it } from "vitest";
import { writeH5Model } from "../../src/formats/h5/write.js";
import { readKerasArchive } from "../../src/formats/keras-zip/read.js";
import { writeKerasArchive } from "../../src/formats/keras-zip/write.js";
import { ZipReader } from "../../src/formats/keras-zip/zip-reader.js";
import { openModel } from "../../src/formats/open.js";
import type { Graph } from "../../src/ir/graph.js";
import { registryWithCustoms } from "../support/custom-layers.js";
import { KERAS3, legacyH5, recordedTotalParams } from "../support/fixtures.js";
import { h5Structure } from "../support/h5-structure.js";
import { bytesOf, valueCounts, weightDifferences, weightsByPath } from "../support/model-weights.js";
import { readNpy } from "../support/npy.js";

const registry = registryWithCustoms();
const dir = mkdtempSync(join(tmpdir(), "kerasgraph-keras-zip-"));
const SHARED = join(KERAS3, "../../../shared/fixtures/keras3");

/**
 * Every `.keras` Keras wrote for the fixtures (fixtures/keras3; cases kept only in ../shared, too large
 * for the repository, run when it is there).
 */
const cases: { name: string; dir: string }[] = [
  ...["seed", "zoo", "layers"].flatMap((set) =>
    readdirSync(join(KERAS3, set))
      .sort()
      .filter((c) => existsSync(join(KERAS3, set, c, "model.keras")))
      .map((c) => ({ name: `${set}/${c}`, dir: join(KERAS3, set, c) })),
  ),
];
const SHARED_ONLY = ["seed/ticket_classifier"];

/**
 * Through a legacy .h5 the layer entries lose `module` and `registered_name` (Keras's own legacy form has
 * none), so a custom layer comes back as a plain class name, as it does in Keras.
 */
const H5_LOSES_REGISTERED_NAME = new Set(["seed/custom_dense"]);

function withoutEntryEnvelopes(config: { layers?: Record<string, unknown>[] }): unknown {
  return { ...config, layers: config.layers?.map(({ module: _m, registered_name: _r, ...rest }) => rest) };
}

async function open(path: string): Promise<Graph> {
  return (await openModel(path, { registry })).graph;
}

function member(path: string, name: string): Uint8Array {
  return unzipSync(new Uint8Array(readFileSync(path)), { filter: (f) => f.name === name })[name]!;
}

function weightsMember(archive: string, out: string): string {
  writeFileSync(out, member(archive, "model.weights.h5"));
  return out;
}

describe.each(cases)(".keras $name", ({ name, dir: caseDir }) => {
  const file = join(caseDir, "model.keras");

  it("reads every weight, with Keras's parameter count", async () => {
    const graph = await open(file);
    const counts = valueCounts(graph);
    expect(counts.values).toBe(counts.weights);
    expect(graph.paramCounts().total).toBe(recordedTotalParams(caseDir));
  });

  it("holds the same values, bit for bit, as Keras's model.h5 of the case", async (ctx) => {
    const h5 = legacyH5(caseDir);
    if ("missing" in h5) return ctx.skip(h5.missing);
    const fromKeras = await open(file);
    const fromH5 = await open(h5.path);
    expect(weightDifferences(fromKeras, fromH5)).toEqual([]);
  });

  it("round-trips .keras → IR → .keras: same config, same bits, Keras's layout", async () => {
    const graph = await open(file);
    const out = join(dir, `${name.replace("/", "_")}.keras`);
    await writeKerasArchive(graph, out, { registry, kerasVersion: "3.16.0" });
    const zip = new ZipReader(out);
    expect(zip.entries.map((e) => [e.name, e.method])).toEqual([
      ["metadata.json", 0],
      ["config.json", 0],
      ["model.weights.h5", 0],
    ]);
    zip.close();
    expect(JSON.parse(strFromU8(member(out, "config.json")))).toEqual(
      JSON.parse(strFromU8(member(file, "config.json"))),
    );
    const ours = await h5Structure(weightsMember(out, join(dir, "ours.h5")));
    const theirs = await h5Structure(weightsMember(file, join(dir, "theirs.h5")));
    expect(ours).toEqual(theirs);
    expect(weightDifferences(graph, await open(out))).toEqual([]);
  });

  it("round-trips .keras → .h5 → .keras with the same config and bits", async () => {
    const graph = await open(file);
    const h5 = join(dir, `${name.replace("/", "_")}.via.h5`);
    const back = join(dir, `${name.replace("/", "_")}.via.keras`);
    await writeH5Model(graph, h5, { kerasVersion: "3.16.0", backend: "torch" });
    await writeKerasArchive(await open(h5), back, { registry });
    const final = await open(back);
    expect(weightDifferences(graph, final)).toEqual([]);
    const ours = JSON.parse(strFromU8(member(back, "config.json"))).config;
    const theirs = JSON.parse(strFromU8(member(file, "config.json"))).config;
    if (H5_LOSES_REGISTERED_NAME.has(name)) expect(withoutEntryEnvelopes(ours)).toEqual(withoutEntryEnvelopes(theirs));
    else expect(ours).toEqual(theirs);
  });
});

describe.each(SHARED_ONLY)(".keras %s (kept in ../shared only: 11 MB)", (name) => {
  it("reads and matches its model.h5 bit for bit", async (ctx) => {
    const caseDir = join(SHARED, name);
    if (!existsSync(join(caseDir, "model.keras"))) return ctx.skip("../shared/fixtures is not present");
    const graph = await open(join(caseDir, "model.keras"));
    expect(valueCounts(graph).values).toBe(valueCounts(graph).weights);
    expect(weightDifferences(graph, await open(join(caseDir, "model.h5")))).toEqual([]);
  });
});

describe("training traces (train/)", () => {
  const train = join(KERAS3, "train");
  const npyValues = (folder: string) =>
    readdirSync(folder)
      .filter((f) => f.endsWith(".npy"))
      .sort((a, b) => parseInt(a) - parseInt(b))
      .map((f) => readNpy(join(folder, f)));

  /** `model.get_weights()` order: layers in model order, each layer's weights. */
  const getWeights = (graph: Graph) => [...weightsByPath(graph).values()].map((w) => w.data!);

  it.each(["initial", "trained"])("%s.keras equals %s_weights/*.npy bit for bit", async (stage) => {
    const graph = await open(join(train, "mlp_adam", `${stage}.keras`));
    const expected = npyValues(join(train, "mlp_adam", `${stage}_weights`));
    const got = getWeights(graph);
    expect(got.length).toBe(expected.length);
    got.forEach((data, i) => {
      expect(expected[i]!.descr).toBe("<f4");
      expect(data.shape).toEqual(expected[i]!.shape);
      expect(Buffer.from(bytesOf(data)).equals(Buffer.from(expected[i]!.bytes))).toBe(true);
    });
  });

  it("keeps the optimizer's variables (Adam: iterations, learning rate, m and v per weight) through .keras and .h5", async () => {
    const graph = await open(join(train, "mlp_adam", "trained.keras"));
    const opt = graph.optimizer!;
    expect(opt.name).toBe("adam");
    // 1024 training rows / batch 64 × 3 epochs = 48 steps; torch's Keras keeps iterations in int32.
    expect(opt.variables.map((v) => v.data.dtype)).toEqual(["int32", ...Array(13).fill("float32")]);
    expect(opt.variables[0]!.data.values).toEqual(new Int32Array([48]));
    const h5 = join(dir, "trained.h5");
    await writeH5Model(graph, h5, { kerasVersion: "3.16.0" });
    const back = join(dir, "trained.keras");
    await writeKerasArchive(await open(h5), back, {});
    const final = (await open(back)).optimizer!;
    expect(final.variables.length).toBe(14);
    final.variables.forEach((v, i) =>
      expect(Buffer.from(bytesOf(v.data)).equals(Buffer.from(bytesOf(opt.variables[i]!.data)))).toBe(true),
    );
    const compiled = JSON.parse(strFromU8(member(back, "config.json"))).compile_config;
    expect(compiled.loss).toEqual(
      JSON.parse(strFromU8(member(join(train, "mlp_adam", "trained.keras"), "config.json"))).compile_config.loss,
    );
  });

  it.for(["mlp_rmsprop", "mlp_sgd_momentum"])(
    "%s (kept in ../shared only) reads with its optimizer state",
    async (name, ctx) => {
      const file = join(SHARED, "train", name, "trained.keras");
      if (!existsSync(file)) return ctx.skip("../shared/fixtures is not present");
      const graph = await open(file);
      expect(graph.optimizer!.variables.length).toBeGreaterThan(2);
      const expected = npyValues(join(SHARED, "train", name, "trained_weights"));
      getWeights(graph).forEach((d, i) =>
        expect(Buffer.from(bytesOf(d)).equals(Buffer.from(expected[i]!.bytes))).toBe(true),
      );
    },
  );
});

describe(".keras reading details", () => {
  it("a shared layer's weights exist once, however many calls it has", async () => {
    const graph = await open(join(KERAS3, "zoo/nested_shared/model.keras"));
    const siamese = graph.getLayer("siamese")!.subgraph!;
    const shared = siamese.getLayer("shared_dense")!;
    expect(shared.calls.length).toBe(2);
    expect([...shared.values.keys()]).toEqual(["kernel", "bias"]);
  });

  it("reads sublayer groups by attribute path (cell, forward_layer, query_dense, layer)", async () => {
    const graph = await open(join(KERAS3, "zoo/recurrent_family/model.keras"));
    const bidi = graph.getLayer("bidirectional")!;
    expect([...bidi.values.keys()]).toEqual(bidi.weights!.map((w) => w.name));
    expect(bidi.weights!.map((w) => w.name)[0]).toMatch(/^forward_lstm\//);
  });

  it("keeps assets/ files through a round trip", async () => {
    const graph = await open(join(KERAS3, "seed/mnist_mlp/model.keras"));
    graph.assets = new Map([["assets/layers/string_lookup/vocabulary.txt", new TextEncoder().encode("a\nb\n")]]);
    const out = join(dir, "assets.keras");
    await writeKerasArchive(graph, out);
    const back = await readKerasArchive(out);
    expect(new TextDecoder().decode(back.graph.assets!.get("assets/layers/string_lookup/vocabulary.txt"))).toBe(
      "a\nb\n",
    );
  });
});
