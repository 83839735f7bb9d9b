import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { H5Tree, writeH5Stream } from "../../src/formats/hdf5/writer.js";
import { unpickle } from "../../src/formats/keras-zip/pickle.js";
import { readKerasJson } from "../../src/formats/keras-json/read.js";
import { kerasVarsGroups } from "../../src/formats/keras-zip/saveables.js";
import { openModel } from "../../src/formats/open.js";
import { saveModel } from "../../src/formats/save.js";
import { FormatError } from "../../src/ir/errors.js";
import type { Graph } from "../../src/ir/graph.js";
import { KERAS3 } from "../support/fixtures.js";
import { valueCounts, weightDifferences, weightsByPath } from "../support/model-weights.js";

const dir = mkdtempSync(join(tmpdir(), "kerasgraph-keras-variants-"));

async function open(path: string): Promise<Graph> {
  return (await openModel(path)).graph;
}

/**
 * The case's archive with its weights laid out under other paths (`rename` maps each `vars` group's
 * path), as other Keras versions wrote them.
 */
async function variant(
  name: string,
  caseName: string,
  rename: (path: string) => string,
  names = true,
): Promise<string> {
  const source = join(KERAS3, caseName, "model.keras");
  const graph = await open(source);
  const tree = new H5Tree();
  for (const g of kerasVarsGroups(graph)) {
    const vars = rename(g.path ? `${g.path}/vars` : "vars");
    tree.group(vars);
    if (names) tree.attr(vars, "name", { kind: "text", value: g.name, cset: "utf8" });
    g.vars.forEach((r, i) => tree.dataset(`${vars}/${i}`, r.layer.values.get(r.weight.name)!));
  }
  const chunks: Uint8Array[] = [];
  writeH5Stream(tree, (c) => chunks.push(c.slice()));
  const members = unzipSync(new Uint8Array(readFileSync(source)));
  const path = join(dir, name);
  writeFileSync(
    path,
    zipSync(
      {
        "metadata.json": members["metadata.json"]!,
        "config.json": members["config.json"]!,
        "model.weights.h5": Buffer.concat(chunks),
      },
      { level: 0 },
    ),
  );
  return path;
}

describe("archives of other Keras versions", () => {
  it("model.weights.npz (weights_format='npz'): pickled dicts per object path, bit-identical to the .h5 archive", async () => {
    const npz = await open(join(KERAS3, "npz/recurrent_family.keras"));
    expect(valueCounts(npz)).toEqual({ weights: 18, values: 18 });
    expect(weightDifferences(npz, await open(join(KERAS3, "zoo/recurrent_family/model.keras")))).toEqual([]);
  });

  it("a deflated weights member (zipped by another tool) is extracted and read", async () => {
    const source = join(KERAS3, "zoo/conv_family/model.keras");
    const path = join(dir, "deflated.keras");
    writeFileSync(path, zipSync(unzipSync(new Uint8Array(readFileSync(source))), { level: 6 }));
    expect(weightDifferences(await open(path), await open(source))).toEqual([]);
  });

  it("tf.keras 2.13-2.15: layers under _layer_checkpoint_dependencies", async () => {
    const path = await variant("tfkeras213.keras", "zoo/recurrent_family", (p) =>
      p.replaceAll("layers", "_layer_checkpoint_dependencies"),
    );
    expect(weightDifferences(await open(path), await open(join(KERAS3, "zoo/recurrent_family/model.keras")))).toEqual(
      [],
    );
  });

  it("sublayers under private attribute names (MultiHeadAttention's _query_dense before the public properties)", async () => {
    const path = await variant("private.keras", "zoo/attention_family", (p) =>
      p.replace(/\/(query|key|value|output)_dense\//, "/_$1_dense/"),
    );
    expect(weightDifferences(await open(path), await open(join(KERAS3, "zoo/attention_family/model.keras")))).toEqual(
      [],
    );
  });

  it("sublayers under attribute names of another release, found by the names Keras records on each vars group", async () => {
    const path = await variant("renamed.keras", "zoo/recurrent_family", (p) =>
      p.replace("/forward_layer/", "/fwd/").replace("/cell/", "/rnn_cell/"),
    );
    expect(weightDifferences(await open(path), await open(join(KERAS3, "zoo/recurrent_family/model.keras")))).toEqual(
      [],
    );
  });

  it("without the names, an unknown attribute path is an error naming the layer and the group", async () => {
    const path = await variant(
      "unnamed.keras",
      "zoo/recurrent_family",
      (p) => p.replace("/cell/", "/rnn_cell/"),
      false,
    );
    // The first group missing in Keras's visiting order: backward_layer sorts before forward_layer.
    await expect(openModel(path)).rejects.toThrow(
      /unnamed\.keras: layer 'bidirectional' \(Bidirectional\): model\.weights\.h5 has no group 'layers\/bidirectional\/backward_layer\/cell\/vars'/,
    );
  });
});

describe("weightless sublayers Keras visits, as the config makes them", () => {
  /** The groups below the case's one layer, for its model.json with `edit` applied to that layer's config. */
  const sublayerGroups = (caseName: string, edit: Record<string, unknown>) => {
    const model = JSON.parse(readFileSync(join(KERAS3, caseName, "model.json"), "utf8"));
    Object.assign(model.config.layers[1].config, edit);
    const layer = model.config.layers[1].name as string;
    const groups = kerasVarsGroups(readKerasJson(model));
    const root = groups.find((g) => g.layer?.name === layer && !g.chain.length)!.path;
    return groups.filter((g) => g.path.startsWith(`${root}/`)).map((g) => g.path.slice(root.length + 1));
  };

  it("AugMix makes its four color operations only with all_ops=True (aug_mix.py)", () => {
    const all = sublayerGroups("layers/AugMix", {});
    expect(all).toHaveLength(11);
    expect(sublayerGroups("layers/AugMix", { all_ops: false })).toEqual(
      all.filter(
        (p) => !["random_brightness", "random_color_degeneration", "random_contrast", "random_sharpness"].includes(p),
      ),
    );
  });

  it("RandAugment keeps its eleven operations, RandomColorJitter one per factor given (random_color_jitter.py)", () => {
    expect(sublayerGroups("layers/RandAugment", {})).toEqual(sublayerGroups("layers/AugMix", {}));
    expect(sublayerGroups("layers/RandomColorJitter", {})).toEqual([]);
    expect(sublayerGroups("layers/RandomColorJitter", { brightness_factor: 0.2, hue_factor: [0.1, 0.3] })).toEqual([
      "random_brightness",
      "random_hue",
    ]);
  });
});

describe("lazy values", () => {
  it("load from the .keras on first use, and refuse a file that changed since", async () => {
    const path = join(dir, "lazy.keras");
    await saveModel(await open(join(KERAS3, "seed/mnist_mlp/model.keras")), path);
    const graph = await open(path);
    const values = [...weightsByPath(graph).values()].map((w) => w.data!);
    expect(values.every((v) => !v.loaded)).toBe(true);
    expect(values[0]!.values.length).toBe(784 * 64);
    await saveModel(await open(join(KERAS3, "seed/mnist_mlp/model.keras")), path);
    expect(() => values[1]!.values).toThrow(/lazy\.keras: changed or disappeared after the model was read/);
  });

  it("a writer loads lazy values one at a time and drops them again; they reload on demand", async () => {
    const graph = await open(join(KERAS3, "seed/mnist_mlp/model.h5"));
    const values = [...weightsByPath(graph).values()].map((w) => w.data!);
    await saveModel(graph, join(dir, "released.keras"));
    expect(values.every((v) => !v.loaded)).toBe(true);
    expect(weightDifferences(graph, await open(join(dir, "released.keras")))).toEqual([]);
  });

  it("{ lazy: false } reads every value at once", async () => {
    const { graph } = await openModel(join(KERAS3, "seed/mnist_mlp/model.h5"), { lazy: false });
    expect([...weightsByPath(graph).values()].every((w) => w.data!.loaded)).toBe(true);
  });
});

describe("the restricted unpickler", () => {
  it("refuses globals other than NumPy's array reconstruction", () => {
    const evil = Uint8Array.from([
      0x80,
      0x02,
      0x63,
      ...strToU8("os\nsystem\n"),
      0x55,
      2,
      ...strToU8("ls"),
      0x85,
      0x52,
      0x2e,
    ]);
    expect(() => unpickle(evil, "x.npy")).toThrow(FormatError);
    expect(() => unpickle(evil, "x.npy")).toThrow(/global 'os system' is not allowed/);
  });
});
