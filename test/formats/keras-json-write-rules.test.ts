/**
 * The writer's rules apart from Keras's own round trip: Keras 3's values for graphs that carry no Keras 3
 * metadata (read from Keras 2, built by hand), the Keras 2 → 3 config translation on hand-written and
 * real-world tf.keras files, the node-index offsets of nested models in both dialects, graphs cut at
 * inner tensors, and the writer's errors and text form.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readKerasJson } from "../../src/formats/keras-json/read.js";
import { toKerasJsonText, writeKerasJson } from "../../src/formats/keras-json/write.js";
import { openModel } from "../../src/formats/open.js";
import { FormatError } from "../../src/ir/errors.js";
import type { Graph } from "../../src/ir/graph.js";
import { cutSubmodel } from "../../src/ir/submodel.js";
import { registryWithCustoms } from "../support/custom-layers.js";
import { FIXTURES, KERAS3, keras3Cases } from "../support/fixtures.js";
import { describeGraph } from "../support/ir-snapshot.js";
import { jsonDifferences } from "../support/json-diff.js";
import { tfjsModelFromTopology } from "../support/tfjs-layers.js";
import { keras2Functional, keras2Sequential, keras3WithNestedSequential } from "../support/keras-json-cases.js";

type Json = Record<string, unknown>;
const registry = registryWithCustoms();
const readCase = (c: string) => readKerasJson(readFileSync(join(KERAS3, c, "model.json"), "utf8"), { registry });
const wiring = (g: Graph) => describeGraph(g, { configs: false, meta: false, structures: false, argumentTrees: false });

/**
 * Forgets what was read around the configs, as for a graph read from Keras 2 or built by hand. A Keras 3
 * operation (`x + 3`) keeps its module, which is what makes it an operation rather than a layer.
 */
function forgetKeras3Metadata(graph: Graph): void {
  graph.envelope = {};
  for (const layer of graph.layers) {
    if (!layer.isOperation) layer.meta = {};
    if (layer.subgraph) forgetKeras3Metadata(layer.subgraph);
  }
}

describe("a graph without Keras 3 metadata is written with Keras 3's own values", () => {
  // Checks module, registered_name, build_config (input_shape / shapes_dict / none) and compile_config
  // for every class in the fixtures against what Keras wrote.
  for (const c of keras3Cases(["seed", "zoo", "layers", "apps_config"])) {
    if (c === "seed/custom_dense") {
      it(`${c}: skipped, a custom class's module (null) and registered_name ("seed>CustomDense") are the user's`);
      continue;
    }
    it(c, () => {
      const graph = readCase(c);
      forgetKeras3Metadata(graph);
      const expected = JSON.parse(readFileSync(join(KERAS3, c, "model.json"), "utf8"));
      expect(jsonDifferences(writeKerasJson(graph), expected)).toEqual([]);
    });
  }

  it("synthesizes shapes_dict for MultiHeadAttention called the Keras 2 way (value as a keyword)", () => {
    const keras2 = writeKerasJson(readCase("zoo/attention_family"), { dialect: "keras2" });
    const graph = readKerasJson(keras2, { registry });
    const mha = graph.layers.find((l) => l.className === "MultiHeadAttention")!;
    expect(mha.calls[0]!.kwargs).toHaveProperty("value");
    const written = (writeKerasJson(graph).config as Json).layers as Json[];
    const original = (readCase("zoo/attention_family").getLayer(mha.name)!.meta.buildConfig ?? null) as Json;
    expect(written.find((l) => l.name === mha.name)!.build_config).toEqual(original);
    expect(original).toHaveProperty("shapes_dict.query_shape");
  });
});

/** What would stop Keras 3's `serialization_lib` from loading a written config (the causes Keras 3.16 hit). */
function keras3LoadProblems(model: Json): string[] {
  const problems: string[] = [];
  const walkModel = (m: Json, where: string) => {
    if (m.class_name === "Model") problems.push(`${where}: class 'Model'`);
    if (!("module" in m)) problems.push(`${where}: no module`);
    const cfg = m.config as Json;
    if (!cfg || Array.isArray(cfg)) return problems.push(`${where}: config is not an object`);
    for (const l of cfg.layers as Json[]) {
      const name = `${where}/${(l.name ?? (l.config as Json).name) as string}`;
      if (Array.isArray((l.config as Json).layers)) walkModel(l, name);
      else walkLayer(l, name);
    }
  };
  const walkLayer = (l: Json, where: string) => {
    if (!("module" in l)) problems.push(`${where}: no module`);
    const c = l.config as Json;
    if (l.class_name === "InputLayer" && !Array.isArray(c.batch_shape)) problems.push(`${where}: no batch_shape`);
    if (l.class_name === "BatchNormalization" && !Number.isInteger(c.axis)) problems.push(`${where}: axis ${c.axis}`);
    for (const key of ["batch_input_shape", "time_major"]) if (key in c) problems.push(`${where}: ${key}`);
    // Keras 3 defaults reset_after to True: a tfjs / Keras < 2.1.3 GRU's (3*units,) bias then fails to load
    // (real Keras 3.16 on our .keras of the tfjs e2e layers_model, tools/keras-check).
    if ((l.class_name === "GRU" || l.class_name === "GRUCell") && !("reset_after" in c)) {
      problems.push(`${where}: GRU without reset_after`);
    }
    for (const key of ["activation", "recurrent_activation"]) {
      const v = c[key];
      if (v !== undefined && v !== null && typeof v !== "string" && !("module" in (v as Json))) {
        problems.push(`${where}: ${key} is a ${(v as Json).class_name} object`);
      }
    }
    for (const key of ["layer", "forward_layer", "backward_layer", "cell"]) {
      if (c[key] && typeof c[key] === "object") walkLayer(c[key] as Json, `${where}.${key}`);
    }
  };
  walkModel(model, "");
  return problems;
}

describe("Keras 2 → Keras 3", () => {
  it("a functional tf.keras 2 model: Functional, InputLayer batch_shape, Keras 3 keys, offsets", () => {
    const graph = readKerasJson(keras2Functional, { registry });
    const json = writeKerasJson(graph);
    expect(keras3LoadProblems(json)).toEqual([]);
    expect(json).toEqual({
      module: "keras.src.models.functional",
      class_name: "Functional",
      config: expect.anything(),
      registered_name: "Functional",
      build_config: { input_shape: null },
      compile_config: {},
    });
    const cfg = json.config as Json;
    const entries = Object.fromEntries((cfg.layers as Json[]).map((l) => [l.name, l]));
    expect(entries.x).toMatchObject({ module: "keras.layers", config: { batch_shape: [null, 4] }, inbound_nodes: [] });
    expect(entries.inner).toMatchObject({
      class_name: "Functional",
      registered_name: "Functional",
      compile_config: {},
    });
    expect(entries.shared).toMatchObject({ registered_name: null, build_config: { input_shape: [null, 4] } });
    expect((entries.bn!.config as Json).axis).toBe(1);
    // bn reads the nested model's second call: tf.keras 2's node 2 is Keras 3's call index 1; in
    // output_layers both count the nested model's internal node (its first call is node 1).
    const bnArg = ((entries.bn!.inbound_nodes as Json[])[0]!.args as Json[])[0]!;
    expect((bnArg.config as Json).keras_history).toEqual(["inner", 1, 0]);
    expect(cfg.output_layers).toEqual([
      ["out", 0, 0],
      ["inner", 1, 0],
    ]);
    const k2 = writeKerasJson(graph, { dialect: "keras2" });
    expect(k2).toMatchObject({ class_name: "Functional", keras_version: "2.4.0", backend: "tensorflow" });
    expect(jsonDifferences((k2.config as Json).layers, keras2Functional.config.layers)).toEqual([]);
    // Read back, the nested model is a Functional (Keras 3 has no class 'Model'); otherwise the same.
    graph.getLayer("inner")!.className = "Functional";
    expect(wiring(readKerasJson(json, { registry }))).toEqual(wiring(graph));
  });

  it("a list-style tf.keras 2 Sequential: InputLayer first, input_shape without batch, activation names", () => {
    const graph = readKerasJson(keras2Sequential, { registry });
    const json = writeKerasJson(graph);
    // LeakyReLU(alpha=0.3) as an activation has no Keras 3 name (leaky_relu means 0.2): kept as it was.
    expect(keras3LoadProblems(json)).toEqual(["/d2: activation is a LeakyReLU object"]);
    expect(json).toMatchObject({ module: "keras", class_name: "Sequential", registered_name: null });
    expect(json.build_config).toEqual({ input_shape: [8, 6, 3] });
    const cfg = json.config as Json;
    expect(cfg.build_input_shape).toEqual([8, 6, 3]);
    const layers = cfg.layers as Json[];
    expect(layers.map((l) => l.class_name)).toEqual(["InputLayer", "LSTM", "Dense", "Dense"]);
    expect(layers[0]!.config).toMatchObject({ batch_shape: [8, 6, 3] });
    expect(layers[1]!.config).toMatchObject({ input_shape: [6, 3] });
    expect(layers[1]!.config).not.toHaveProperty("time_major");
    expect(layers[1]!.build_config).toEqual({ input_shape: [8, 6, 3] });
    expect((layers[2]!.config as Json).activation).toBe("relu");
    expect(layers.every((l) => !("name" in l) && !("inbound_nodes" in l))).toBe(true);
    expect(wiring(readKerasJson(json, { registry }))).toEqual(wiring(graph));
  });
});

describe("nested Sequential: no offset in Keras 3, one in Keras 2", () => {
  it("writes both dialects and tfjs-layers builds the Keras 2 one", async () => {
    const graph = readKerasJson(keras3WithNestedSequential, { registry });
    const k3 = writeKerasJson(graph);
    expect(jsonDifferences(k3, keras3WithNestedSequential)).toEqual([]);
    const k2 = writeKerasJson(graph, { dialect: "keras2" });
    const k2cfg = k2.config as Json;
    expect(k2cfg.output_layers).toEqual([
      ["head", 0, 0],
      ["body", 1, 0],
    ]);
    const head = (k2cfg.layers as Json[]).find((l) => l.name === "head")!;
    expect(head.inbound_nodes).toEqual([[["body", 1, 0, {}]]]);
    expect(wiring(readKerasJson(k2, { registry }))).toEqual(wiring(graph));
    const model = await tfjsModelFromTopology(k2);
    expect(model.countParams()).toBe(graph.paramCounts().total);
  });
});

describe("model inputs and outputs", () => {
  it("a record of inputs is written as a record in Keras 3, as a list in Keras 2", () => {
    const graph = readCase("seed/ticket_classifier");
    graph.inputStructure = { kind: "dict", keys: ["t", "b", "g"] };
    const k3 = writeKerasJson(graph);
    expect((k3.config as Json).input_layers).toEqual({ t: ["title", 0, 0], b: ["body", 0, 0], g: ["tags", 0, 0] });
    expect(readKerasJson(k3, { registry }).inputStructure).toEqual(graph.inputStructure);
    const k2 = writeKerasJson(graph, { dialect: "keras2" });
    expect((k2.config as Json).input_layers).toEqual([
      ["title", 0, 0],
      ["body", 0, 0],
      ["tags", 0, 0],
    ]);
  });

  it("an unbuilt Sequential (no input declared) has no InputLayer, build_input_shape or build_config", () => {
    const graph = readKerasJson({
      class_name: "Sequential",
      config: [{ class_name: "Dense", config: { name: "d", units: 3 } }],
    });
    const k3 = writeKerasJson(graph);
    expect(k3).not.toHaveProperty("build_config");
    expect(k3.config).toEqual({
      name: "sequential",
      trainable: true,
      layers: [{ module: "keras.layers", class_name: "Dense", config: { name: "d", units: 3 }, registered_name: null }],
    });
    const k2 = writeKerasJson(graph, { dialect: "keras2" });
    expect(k2.config).toEqual({
      name: "sequential",
      layers: [{ class_name: "Dense", config: { name: "d", units: 3 } }],
    });
  });
});

describe("a graph cut at an inner tensor gets an InputLayer of its own", () => {
  it.each(["keras3", "keras2"] as const)("%s", async (dialect) => {
    const graph = readCase("seed/toy_resnet");
    const from = graph.getLayer("add")!.calls[0]!.outputs[0]!;
    const cut = cutSubmodel(graph, [from], graph.outputs, "tail");
    const json = writeKerasJson(cut, { dialect });
    const again = readKerasJson(json, { registry });
    expect(again.inputs.map((t) => [t.layer.name, t.shape])).toEqual([["add_input", from.shape]]);
    expect(again.paramCounts()).toEqual(cut.paramCounts());
    expect(again.outputs.map((t) => t.shape)).toEqual(cut.outputs.map((t) => t.shape));
    if (dialect === "keras2") expect((await tfjsModelFromTopology(json)).countParams()).toBe(cut.paramCounts().total);
  });
});

const REAL = [
  "07subhadip+CNN_Project_MNIST_TFJS/Subhadip_Hensh_MNIST_CNN.keras",
  "102757017+lstm-multi/model.h5",
  "2mdtln+FlowNet-ANN/25-06/model.keras",
  "4tsu+fashion_mnist_check/model/model.json",
  "98mprice+mario-level-generator/model.keras",
  "Anaya-Koirala+melody-generating-lstm-cs371/model.keras",
  "AniketDogra+GuessTheDoodle/model/model.h5",
  "AniketDogra+GuessTheDoodle/model/model.json",
  "Carine-Ashimwe+Summative-Assignment-SAHeart-Project/functional_model.keras",
  "Edmond-Dantes+doodle-autocomplete/notebooks/louise_notebooks/oh_shapes_tinycnn_keras_OHMYGOD.h5",
  "Edmond-Dantes+doodle-autocomplete/web_model/model.json",
  "FrederickRoman+divorce-predictor/nnModel/divorce_model.h5",
  "FrederickRoman+divorce-predictor/tfjs/model.json",
  "Khushibung05+RNN_LSTM_GRU/gru_model.h5",
  "Kimtuthap97+Stochastics-Process/model_architecture.json",
  "NeuralNetworkVerification+Marabou/resources/keras/cnn_max_mnist2.h5",
  "NeuralNetworkVerification+Marabou/resources/keras/fc_2-2sigmoids-3.h5",
  "NeuralNetworkVerification+Marabou/resources/keras/robust_mnist_sigmoid_linear.h5",
  "fastmachinelearning+example-models/keras/KERAS_3layer.json",
  "fastmachinelearning+example-models/keras/KERAS_3layer_batch_norm.json",
  "fastmachinelearning+example-models/keras/KERAS_conv1d_small.json",
  "fastmachinelearning+example-models/keras/KERAS_conv2d_model.json",
  "fastmachinelearning+example-models/keras/jetTagger_Conv2D_Small.json",
  "fastmachinelearning+example-models/keras_history/keras_3layer.h5",
  "tensorflow+tfjs-examples/abalone-node/trainedModel/model.json",
  "tensorflow+tfjs/e2e/integration_tests/load_predict_data/layers_model/model.json",
  "tensorflow+tfjs/tfjs-react-native/integration_rn59/assets/model/bundle_model_test.json",
];

/** Real files whose layers tfjs-layers 4.22 lacks. */
const REAL_TFJS_GAPS: Record<string, string> = {
  "Edmond-Dantes+doodle-autocomplete/notebooks/louise_notebooks/oh_shapes_tinycnn_keras_OHMYGOD.h5":
    "tfjs-layers 4.22 has no RandomFlip layer",
  "Edmond-Dantes+doodle-autocomplete/web_model/model.json": "tfjs-layers 4.22 has no RandomFlip layer",
  "Khushibung05+RNN_LSTM_GRU/gru_model.h5": "tfjs-layers 4.22's GRU supports only reset_after=false",
};

describe("real-world Keras 1/2/3 files: Keras 3 JSON without what Keras 3.16 failed on, Keras 2 JSON for tfjs", () => {
  for (const file of REAL) {
    it(file, async () => {
      const { graph } = await openModel(join(FIXTURES, "real", file), { weights: false });
      const k3 = writeKerasJson(graph);
      expect(keras3LoadProblems(k3)).toEqual([]);
      expect(wiring(readKerasJson(k3, { registry }))).toEqual(wiring(graph));
      const k2 = writeKerasJson(graph, { dialect: "keras2" });
      expect(wiring(readKerasJson(k2, { registry }))).toEqual(wiring(graph));
      const gap = REAL_TFJS_GAPS[file];
      if (gap) await expect(tfjsModelFromTopology(k2), gap).rejects.toThrow();
      else expect((await tfjsModelFromTopology(k2)).countParams()).toBe(graph.paramCounts().total);
    });
  }
});

describe("errors and text", () => {
  it("refuses an unknown dialect", () => {
    expect(() => writeKerasJson(readCase("seed/mnist_mlp"), { dialect: "keras4" as "keras3" })).toThrow(FormatError);
  });

  it("refuses a call the Keras 2 dialect cannot express, naming the layer", () => {
    const graph = readCase("seed/mnist_mlp");
    const call = graph.getLayer("dense")!.calls[0]!;
    call.args = [...call.args, call.args[0]!];
    expect(() => writeKerasJson(graph, { dialect: "keras2" })).toThrow(/layer 'dense' \(Dense\).*2 positional/);
  });

  it("writes text as to_json(indent=1), or one line with indent 0", () => {
    const graph = readCase("seed/mnist_mlp");
    const text = toKerasJsonText(graph);
    expect(text.split("\n").slice(0, 3)).toEqual([
      "{",
      ' "module": "keras.src.models.functional",',
      ' "class_name": "Functional",',
    ]);
    expect(text.endsWith("}")).toBe(true);
    expect(toKerasJsonText(graph, { indent: 0 })).toBe(JSON.stringify(writeKerasJson(graph)));
  });

  it("returns a copy: editing the written config leaves the graph alone", () => {
    const graph = readCase("seed/mnist_mlp");
    const json = writeKerasJson(graph);
    (((json.config as Json).layers as Json[])[1]!.config as Json).units = 1;
    expect(graph.layers[1]!.config.units).not.toBe(1);
  });
});
