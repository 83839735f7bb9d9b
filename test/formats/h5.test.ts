import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { unzipSync } from "fflate";
import h5wasm from "h5wasm/node";
import { describe, expect, it } from "vitest";
import { readH5Model } from "../../src/formats/h5/read.js";
import { writeH5Model, writeH5Weights } from "../../src/formats/h5/write.js";
import { setNameList } from "../../src/formats/h5/legacy-weights.js";
import { H5Tree, writeH5File } from "../../src/formats/hdf5/writer.js";
import { attrTextList, withH5Reader } from "../../src/formats/hdf5/reader.js";
import { readKerasJson } from "../../src/formats/keras-json/read.js";
import { writeKerasArchive } from "../../src/formats/keras-zip/write.js";
import { openModel } from "../../src/formats/open.js";
import { attachWeightsFile } from "../../src/formats/weights-file.js";
import type { Graph } from "../../src/ir/graph.js";
import { WeightData } from "../../src/ir/weights.js";
import { registryWithCustoms } from "../support/custom-layers.js";
import { FIXTURES, KERAS3, legacyH5, recordedTotalParams } from "../support/fixtures.js";
import { h5Structure } from "../support/h5-structure.js";
import { valueCounts, weightDifferences, weightsByPath } from "../support/model-weights.js";

const registry = registryWithCustoms();
const dir = mkdtempSync(join(tmpdir(), "kerasgraph-h5-"));
const REAL = join(FIXTURES, "real");

/** Every keras3 case, with Keras's model.h5 or the reason it has none (case.json). */
const allCases = ["seed", "zoo", "layers"].flatMap((set) =>
  readdirSync(join(KERAS3, set))
    .sort()
    .filter((c) => existsSync(join(KERAS3, set, c, "case.json")))
    .map((c) => ({ name: `${set}/${c}`, dir: join(KERAS3, set, c), h5: legacyH5(join(KERAS3, set, c)) })),
);
const cases = allCases.flatMap(({ name, dir, h5 }) => ("path" in h5 ? [{ name, dir, file: h5.path }] : []));
const withoutH5 = allCases.flatMap(({ name, h5 }) => ("missing" in h5 ? [{ name, reason: h5.missing }] : []));

async function open(path: string, options: { lazy?: boolean; weightsFile?: string } = {}): Promise<Graph> {
  return (await openModel(path, { registry, ...options })).graph;
}

async function rootAttr(path: string, name: string): Promise<unknown> {
  await h5wasm.ready;
  const f = new h5wasm.File(path, "r");
  try {
    const v = f.attrs[name]?.value;
    return typeof v === "string" ? JSON.parse(v) : v;
  } finally {
    f.close();
  }
}

/**
 * Both files' structure, except `model_config`/`training_config`, which are compared as JSON (key order
 * aside) unless `configs` is false (tf.keras 2.13+ wrote Keras 3-style layer entries in its JSON; our
 * Keras 2 dialect writes the classic form, which every tf.keras 2 reads).
 */
async function expectSameLayout(ours: string, theirs: string, configs = true): Promise<void> {
  const skip = ["model_config", "training_config"];
  expect(await h5Structure(ours, skip)).toEqual(await h5Structure(theirs, skip));
  if (configs) for (const name of skip) expect(await rootAttr(ours, name)).toEqual(await rootAttr(theirs, name));
}

describe.each(cases)(".h5 $name", ({ name, dir: caseDir, file }) => {
  it("reads every weight, lazily, with Keras's parameter count", async () => {
    const graph = await open(file);
    const all = [...weightsByPath(graph).values()];
    expect(all.every((w) => w.data && !w.data.loaded)).toBe(true);
    const counts = valueCounts(graph);
    expect(counts.values).toBe(counts.weights);
    expect(graph.paramCounts().total).toBe(recordedTotalParams(caseDir));
    for (const w of all) expect(w.data!.values.length).toBe(w.data!.size);
  });

  it("round-trips .h5 → IR → .h5: same config, same bits, Keras's layout", async () => {
    const graph = await open(file);
    const out = join(dir, `${name.replace("/", "_")}.h5`);
    await writeH5Model(graph, out, { kerasVersion: "3.16.0", backend: "torch" });
    await expectSameLayout(out, file);
    expect(weightDifferences(graph, await open(out))).toEqual([]);
  });
});

describe.each(withoutH5)(".h5 $name", ({ reason }) => {
  it("reads and round-trips Keras's model.h5", (ctx) => ctx.skip(reason));
});

/** Real-world files: Keras 2.0 through 3.13, several of which Keras 3.16 itself cannot open (`ok: false`). */
const REAL_MODELS = [
  "07subhadip+CNN_Project_MNIST_TFJS/Subhadip_Hensh_MNIST_CNN.keras",
  "102757017+lstm-multi/model.h5",
  "2mdtln+FlowNet-ANN/25-06/model.keras",
  "2mdtln+FlowNet-ANN/out/final_model.keras",
  "98mprice+mario-level-generator/model.keras",
  "Anaya-Koirala+melody-generating-lstm-cs371/model.keras",
  "AniketDogra+GuessTheDoodle/model/model.h5",
  "Carine-Ashimwe+Summative-Assignment-SAHeart-Project/functional_model.keras",
  "Edmond-Dantes+doodle-autocomplete/notebooks/louise_notebooks/oh_shapes_tinycnn_keras_OHMYGOD.h5",
  "FrederickRoman+divorce-predictor/nnModel/divorce_model.h5",
  "Khushibung05+RNN_LSTM_GRU/gru_model.h5",
  "NeuralNetworkVerification+Marabou/resources/keras/cnn_max_mnist2.h5",
  "NeuralNetworkVerification+Marabou/resources/keras/fc_2-2sigmoids-3.h5",
  "NeuralNetworkVerification+Marabou/resources/keras/robust_mnist_sigmoid_linear.h5",
  "fastmachinelearning+example-models/keras_history/keras_3layer.h5",
];
const REAL_PAIRS: [arch: string, weights: string][] = [
  ["Kimtuthap97+Stochastics-Process/model_architecture.json", "Kimtuthap97+Stochastics-Process/model_weights.h5"],
  ...[
    "KERAS_3layer",
    "KERAS_3layer_batch_norm",
    "KERAS_conv1d_small",
    "KERAS_conv2d_model",
    "jetTagger_Conv2D_Small",
  ].map((n): [string, string] => [
    `fastmachinelearning+example-models/keras/${n}.json`,
    `fastmachinelearning+example-models/keras/${n}_weights.h5`,
  ]),
];
/** Files written by tf.keras 2.4+ or Keras 3, whose layout our writer reproduces exactly. */
const SAME_LAYOUT: Record<string, "keras2" | "keras3"> = {
  "Edmond-Dantes+doodle-autocomplete/notebooks/louise_notebooks/oh_shapes_tinycnn_keras_OHMYGOD.h5": "keras2",
  "FrederickRoman+divorce-predictor/nnModel/divorce_model.h5": "keras2",
  "Khushibung05+RNN_LSTM_GRU/gru_model.h5": "keras3",
};

function kerasRef(file: string): { ok: boolean; total_params?: number } | null {
  const p = join(REAL, `${file}.ref/case.json`);
  return existsSync(p) ? JSON.parse(readFileSync(p, "utf8")) : null;
}

/** Sum of the sizes of the weights the file stores (to check counts where Keras recorded none). */
function storedParams(graph: Graph): number {
  return [...weightsByPath(graph).values()].reduce((n, w) => n + (w.data?.size ?? 0), 0);
}

describe.each(REAL_MODELS)("real %s", (file) => {
  it("opens with every weight; parameters equal Keras's count where Keras could open it", async () => {
    const m = await openModel(join(REAL, file), { registry });
    const counts = valueCounts(m.graph);
    expect(counts.values).toBe(counts.weights);
    expect(storedParams(m.graph)).toBe(m.graph.paramCounts().total);
    const ref = kerasRef(file);
    if (ref?.ok) expect(m.graph.paramCounts().total).toBe(ref.total_params);
  });

  it("converts to .keras and to .h5 and back with the same bits", async () => {
    const m = await openModel(join(REAL, file), { registry });
    const base = join(dir, file.replace(/[/+]/g, "_"));
    const dialect = m.kerasVersion?.startsWith("2.") ? "keras2" : "keras3";
    await writeH5Model(m.graph, `${base}.h5`, { dialect, ...(m.kerasVersion ? { kerasVersion: m.kerasVersion } : {}) });
    await writeKerasArchive(m.graph, `${base}.keras`, { registry });
    expect(weightDifferences(m.graph, await open(`${base}.h5`))).toEqual([]);
    expect(weightDifferences(m.graph, await open(`${base}.keras`))).toEqual([]);
    if (SAME_LAYOUT[file]) {
      const out = `${base}.same.h5`;
      await writeH5Model(m.graph, out, {
        dialect: SAME_LAYOUT[file],
        kerasVersion: m.kerasVersion!,
        backend: m.backend!,
      });
      await expectSameLayout(out, join(REAL, file), SAME_LAYOUT[file] === "keras3");
    }
  });
});

describe.each(REAL_PAIRS)("real %s + %s (save_weights)", (arch, weights) => {
  it("attaches the weights-only file to its architecture", async () => {
    const graph = await open(join(REAL, arch), { weightsFile: join(REAL, weights) });
    const counts = valueCounts(graph);
    expect(counts.weights).toBeGreaterThan(0);
    expect(counts.values).toBe(counts.weights);
    expect(storedParams(graph)).toBe(graph.paramCounts().total);
  });

  it("writes a weights-only file that reads back bit for bit", async () => {
    const graph = await open(join(REAL, arch), { weightsFile: join(REAL, weights) });
    const out = join(dir, `${weights.replace(/[/+]/g, "_")}`);
    await writeH5Weights(graph, out, { dialect: "keras2" });
    expect(weightDifferences(graph, await open(join(REAL, arch), { weightsFile: out }))).toEqual([]);
  });
});

describe("legacy .h5 details", () => {
  it("reads a Keras 3 .weights.h5 (save_weights) beside model.json, by attribute paths", async () => {
    const keras = join(KERAS3, "zoo/recurrent_family/model.keras");
    const weights = join(dir, "recurrent.weights.h5");
    writeFileSync(weights, unzipSync(new Uint8Array(readFileSync(keras)))["model.weights.h5"]!);
    const graph = readKerasJson(readFileSync(join(KERAS3, "zoo/recurrent_family/model.json"), "utf8"), { registry });
    await attachWeightsFile(graph, weights, { registry });
    expect(weightDifferences(graph, await open(keras))).toEqual([]);
  });

  it("keeps training_config as the compile_config, both ways", async () => {
    const file = join(REAL, "Khushibung05+RNN_LSTM_GRU/gru_model.h5");
    const { graph } = await readH5Model(file, { registry });
    const compile = graph.envelope.compile_config as Record<string, unknown>;
    expect(compile.loss).toBe("binary_crossentropy");
    expect((compile.optimizer as Record<string, unknown>).class_name).toBe("Adam");
    const out = join(dir, "gru.h5");
    await writeH5Model(graph, out, { kerasVersion: "3.13.2", backend: "tensorflow" });
    expect(await rootAttr(out, "training_config")).toEqual(await rootAttr(file, "training_config"));
  });

  it("splits layer_names past HDF5's 64 KiB header limit into layer_names0..N, and reads them back", async () => {
    const names = Array.from(
      { length: 1800 },
      (_, i) => `a_rather_long_dense_layer_name_number_${String(i).padStart(4, "0")}`,
    );
    const config = {
      class_name: "Sequential",
      config: {
        name: "long",
        layers: [
          { class_name: "InputLayer", config: { batch_shape: [null, 1], dtype: "float32", name: "in" } },
          ...names.map((name) => ({ class_name: "Dense", config: { name, units: 1 } })),
        ],
      },
    };
    const graph = readKerasJson(config);
    for (const layer of graph.layers) {
      for (const w of layer.weights ?? [])
        layer.values.set(
          w.name,
          new WeightData(
            "float32",
            w.shape,
            new Float32Array(w.shape.reduce((a, b) => a * b, 1)).fill(layer.calls.length),
          ),
        );
    }
    const out = join(dir, "long.h5");
    await writeH5Model(graph, out);
    for (const engine of ["subset", "hdf5"] as const) {
      await withH5Reader(
        out,
        (f) => {
          expect(
            f
              .attrNames("/model_weights")
              .filter((k) => k.startsWith("layer_names"))
              .sort(),
          ).toEqual(["layer_names0", "layer_names1"]);
          expect(attrTextList(f, "/model_weights", "layer_names")).toEqual(names);
        },
        { engine },
      );
    }
    expect(weightDifferences(graph, (await openModel(out)).graph)).toEqual([]);
  });

  it("writes name lists as Keras does: variable-length ASCII, an empty list as an empty float64 array", async () => {
    const out = join(dir, "attrs.h5");
    const tree = new H5Tree();
    setNameList(tree, "/", "some", ["a", "bc"]);
    setNameList(tree, "/", "none", []);
    writeH5File(tree, out);
    const lines = await h5Structure(out);
    expect(lines).toContain('/ @some: class=3 vlen cset=0 shape=[2] = ["a","bc"]');
    expect(lines).toContain("/ @none: class=1 size=8 shape=[0] = []");
  });
});
