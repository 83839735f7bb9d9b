import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readKerasJson } from "../../../src/formats/keras-json/read.js";
import { KerasGraphError } from "../../../src/ir/errors.js";
import type { Graph } from "../../../src/ir/graph.js";
import { Layer } from "../../../src/ir/graph.js";
import { defineLayer } from "../../../src/layers/define.js";
import { activationName, modelToDot, type DotOptions } from "../../../src/tools/plot/index.js";
import { FIXTURES } from "../../fixture-files.js";
import { registryWithCustoms } from "../../support/custom-layers.js";
import { kerasDotReference } from "./keras-dot-reference.js";

const GOLDEN = join(import.meta.dirname, "..", "summary-golden");
/** `Pair` from summary-golden/gen.py: two tensors in, the same shapes out. */
const Pair = defineLayer({ className: "Pair", defaults: {}, outputs: (ctx) => ctx.inputs.map((t) => t.shape) });

function registry() {
  const r = registryWithCustoms();
  r.register(Pair, { registeredName: "golden>Pair" });
  return r;
}

/** Every Keras-made model.json the plot is checked on: the guide's models, the zoo, applications, golden cases. */
const MODELS: string[] = [
  ...["seed", "zoo", "apps_config"].flatMap((group) =>
    readdirSync(join(FIXTURES, "keras3", group))
      .sort()
      .map((c) => join(FIXTURES, "keras3", group, c, "model.json")),
  ),
  join(GOLDEN, "nested", "model.json"),
  join(GOLDEN, "shared_pair", "model.json"),
];

function load(path: string): { json: { class_name: string; config: never }; graph: Graph } {
  const text = readFileSync(path, "utf8");
  return { json: JSON.parse(text) as never, graph: readKerasJson(text, { file: path, registry: registry() }) };
}

/** The node ids and edges of our DOT, unquoted, in the order written. */
function parseDot(dot: string): { nodes: string[]; edges: string[] } {
  const unquote = (id: string) => (id.startsWith('"') ? (JSON.parse(id) as string) : id);
  const id = String.raw`("(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*)`;
  const nodes = [...dot.matchAll(new RegExp(`^${id} \\[label=<`, "gm"))].map((m) => unquote(m[1]!));
  const edges = [...dot.matchAll(new RegExp(`^${id} -> ${id} \\[penwidth=2\\];$`, "gm"))].map(
    (m) => `${unquote(m[1]!)} -> ${unquote(m[2]!)}`,
  );
  return { nodes, edges };
}

const rel = (p: string) => p.replace(FIXTURES + "/", "").replace(GOLDEN + "/", "summary-golden/");

describe("modelToDot: nodes and edges as Keras's model_to_dot draws them", () => {
  it.each(MODELS.map((p) => [rel(p), p]))("%s, collapsed and expanded", (_name, path) => {
    const { json, graph } = load(path);
    for (const expandNested of [false, true]) {
      const ours = parseDot(modelToDot(graph, { expandNested }));
      const keras = kerasDotReference(json, expandNested);
      expect(ours.nodes).toEqual(keras.nodes);
      expect([...ours.edges].sort()).toEqual([...keras.edges].sort());
      expect(new Set(ours.edges).size).toBe(ours.edges.length);
    }
  });

  it("counts what the guide's diagrams show", () => {
    const counts = (c: string, expandNested = false) => {
      const { nodes, edges } = parseDot(
        modelToDot(load(join(FIXTURES, "keras3", c, "model.json")).graph, { expandNested }),
      );
      return [nodes.length, edges.length];
    };
    // img, 7 Conv2D, MaxPooling2D, 2 Add, GlobalAveragePooling2D, 2 Dense, Dropout; 2 skip connections.
    expect(counts("seed/toy_resnet")).toEqual([15, 16]);
    // 3 inputs, 2 Embedding, 2 LSTM, Concatenate, 2 Dense heads.
    expect(counts("seed/ticket_classifier")).toEqual([10, 9]);
    // img -> encoder -> decoder collapsed; opened: 1 + 7 + 7 layers, 14 edges.
    expect(counts("seed/nested_autoencoder")).toEqual([3, 2]);
    expect(counts("seed/nested_autoencoder", true)).toEqual([15, 14]);
    // Three sub-models called on one input, averaged; opened: each is Input -> Dense.
    expect(counts("seed/ensemble")).toEqual([5, 6]);
    expect(counts("seed/ensemble", true)).toEqual([8, 9]);
    // The embedding and LSTM are shared by two texts: one node each, an edge from each input into the
    // embedding, but embedding -> lstm -> concatenate once each, as Keras draws a pair once.
    expect(counts("seed/shared_embedding")).toEqual([6, 5]);
    // DenseNet121: 429 layers.
    expect(counts("apps_config/DenseNet121")[0]).toBe(429);
  });

  it("draws a nested model as a dashed cluster named after it, ids prefixed by its path", () => {
    const dot = modelToDot(load(join(FIXTURES, "keras3/zoo/nested_shared/model.json")).graph, { expandNested: true });
    expect(dot).toContain("subgraph cluster_siamese {\nlabel=siamese;\nlabeljust=l;\nstyle=dashed;\n");
    expect(dot).toContain('subgraph "cluster_siamese/inner" {\nlabel=inner;\nlabeljust=l;\nstyle=dashed;\n');
    // The siamese model is called twice with its inputs swapped: both calls draw their edges.
    for (const e of ['c -> "siamese/left"', 'd -> "siamese/right"', 'd -> "siamese/left"', 'c -> "siamese/right"']) {
      expect(dot).toContain(`${e} [penwidth=2];`);
    }
    expect(dot).toContain('"siamese/subtract" -> dense_2 [penwidth=2];');
  });

  it("writes Keras's graph attributes: rankdir, concentrate, dpi, splines, record nodes", () => {
    const { graph } = load(join(FIXTURES, "keras3/seed/mnist_mlp/model.json"));
    expect(modelToDot(graph)).toMatch(
      /^digraph G \{\nrankdir=TB;\nconcentrate=true;\ndpi=200;\nsplines=ortho;\nnode \[shape=record\];\n/,
    );
    const lr = modelToDot(graph, { rankdir: "LR", dpi: 96, splines: "spline" });
    expect(lr).toMatch(/^digraph G \{\nrankdir=LR;\nconcentrate=true;\ndpi=96;\nsplines=spline;\n/);
  });
});

describe("modelToDot: the labels Keras prints", () => {
  const resnet = load(join(FIXTURES, "keras3/seed/toy_resnet/model.json")).graph;
  const nested = load(join(GOLDEN, "nested/model.json")).graph;
  const autoencoder = load(join(FIXTURES, "keras3/seed/nested_autoencoder/model.json")).graph;
  const pair = load(join(GOLDEN, "shared_pair/model.json")).graph;

  /** The whole node statement of one layer. */
  const nodeOf = (graph: Graph, name: string, options: DotOptions = {}) => {
    const line = modelToDot(graph, options)
      .split("\n")
      .find((l) => l.startsWith(`${name} [label=`) || l.startsWith(`"${name}" [label=`));
    expect(line, name).toBeDefined();
    return line!;
  };
  const TABLE = '<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">';
  const header = (colspan: number, title: string) =>
    `<tr><td colspan="${colspan}" bgcolor="black"><font point-size="16" color="white">${title}</font></td></tr>`;
  const cell = (text: string) => `<td bgcolor="white"><font point-size="14">${text}</font></td>`;

  it("name and class by default; node attributes as Keras sets them", () => {
    expect(nodeOf(resnet, "conv2d")).toBe(
      `conv2d [label=${TABLE}${header(1, "<b>conv2d</b> (Conv2D)")}</table>>, fontname=Helvetica, border=0, margin=0];`,
    );
  });

  it("show_layer_names=False: the class alone", () => {
    expect(nodeOf(resnet, "conv2d", { showLayerNames: false })).toContain(
      `${TABLE}${header(1, "<b>Conv2D</b>")}</table>>`,
    );
  });

  it("show_shapes: input and output shapes; an InputLayer has only its output; a merge lists its inputs", () => {
    expect(nodeOf(resnet, "conv2d", { showShapes: true })).toContain(
      `${header(2, "<b>conv2d</b> (Conv2D)")}<tr>${cell("Input shape: <b>(None, 32, 32, 3)</b>")}${cell("Output shape: <b>(None, 30, 30, 32)</b>")}</tr></table>>`,
    );
    expect(nodeOf(resnet, "img", { showShapes: true })).toContain(
      `${header(2, "<b>img</b> (InputLayer)")}<tr>${cell("Output shape: <b>(None, 32, 32, 3)</b>")}</tr></table>>`,
    );
    expect(nodeOf(resnet, "add", { showShapes: true })).toContain(
      `<tr>${cell("Input shape: <b>[(None, 9, 9, 64), (None, 9, 9, 64)]</b>")}${cell("Output shape: <b>(None, 9, 9, 64)</b>")}</tr>`,
    );
  });

  it("show_shapes on a layer with two outputs, and a collapsed nested model's own inputs and outputs", () => {
    expect(nodeOf(pair, "pair", { showShapes: true, showDtype: true })).toContain(
      `<tr>${cell("Input shape: <b>[(None, 8), (None, 8)]</b>")}${cell("Output shape: <b>[(None, 8), (None, 8)]</b>")}` +
        `${cell("Output dtype: <b>['float32', 'float32']</b>")}</tr>`,
    );
    expect(nodeOf(autoencoder, "encoder", { showShapes: true })).toContain(
      `${header(2, "<b>encoder</b> (Functional)")}<tr>${cell("Input shape: <b>(None, 28, 28, 1)</b>")}${cell("Output shape: <b>(None, 16)</b>")}</tr>`,
    );
    // A Sequential used as a layer answers with its first call's tensors.
    expect(nodeOf(nested, "inner_seq", { showShapes: true })).toContain(
      `${header(2, "<b>inner_seq</b> (Sequential)")}<tr>${cell("Input shape: <b>(None, 3)</b>")}${cell("Output shape: <b>(None, 2)</b>")}</tr>`,
    );
  });

  it("show_dtype: one more column", () => {
    expect(nodeOf(resnet, "dense", { showDtype: true })).toContain(
      `${header(1, "<b>dense</b> (Dense)")}<tr>${cell("Output dtype: <b>float32</b>")}</tr></table>>`,
    );
    expect(nodeOf(resnet, "dense", { showDtype: true, showShapes: true })).toContain(
      `${header(3, "<b>dense</b> (Dense)")}<tr>${cell("Input shape: <b>(None, 64)</b>")}${cell("Output shape: <b>(None, 256)</b>")}${cell("Output dtype: <b>float32</b>")}</tr>`,
    );
  });

  it("show_layer_activations: a row for layers with an activation, none for the others", () => {
    const activation = (name: string) =>
      `<tr><td bgcolor="white" colspan="1"><font point-size="14">Activation: <b>${name}</b></font></td></tr>`;
    expect(nodeOf(resnet, "conv2d", { showLayerActivations: true })).toContain(
      `${header(1, "<b>conv2d</b> (Conv2D)")}${activation("relu")}</table>>`,
    );
    expect(nodeOf(resnet, "dense_1", { showLayerActivations: true })).toContain(activation("linear"));
    expect(nodeOf(resnet, "add", { showLayerActivations: true })).not.toContain("Activation:");
    expect(nodeOf(resnet, "img", { showLayerActivations: true })).not.toContain("Activation:");
  });

  it("show_trainable: green for trainable, red for frozen, nothing for layers without weights", () => {
    const on = '<td bgcolor="forestgreen"><font point-size="14" color="white"><b>Trainable</b></font></td>';
    const off = '<td bgcolor="firebrick"><font point-size="14" color="white"><b>Non-trainable</b></font></td>';
    expect(nodeOf(nested, "head", { showTrainable: true })).toContain(
      `${header(1, "<b>head</b> (Dense)")}<tr>${on}</tr>`,
    );
    expect(nodeOf(nested, "inner_seq/frozen", { showTrainable: true, expandNested: true })).toContain(
      `${header(1, "<b>frozen</b> (Dense)")}<tr>${off}</tr>`,
    );
    // The header still spans the (absent) trainable column, as in Keras.
    expect(nodeOf(nested, "x1", { showTrainable: true })).toContain(`${header(1, "<b>x1</b> (InputLayer)")}</table>>`);
    expect(nodeOf(nested, "x1", { showTrainable: true, showShapes: true })).toContain(
      `${header(3, "<b>x1</b> (InputLayer)")}<tr>${cell("Output shape: <b>(None, 4)</b>")}</tr>`,
    );
  });

  it("every option at once", () => {
    expect(
      nodeOf(resnet, "conv2d", { showShapes: true, showDtype: true, showLayerActivations: true, showTrainable: true }),
    ).toBe(
      `conv2d [label=${TABLE}${header(4, "<b>conv2d</b> (Conv2D)")}` +
        `<tr><td bgcolor="white" colspan="4"><font point-size="14">Activation: <b>relu</b></font></td></tr>` +
        `<tr>${cell("Input shape: <b>(None, 32, 32, 3)</b>")}${cell("Output shape: <b>(None, 30, 30, 32)</b>")}` +
        `${cell("Output dtype: <b>float32</b>")}` +
        '<td bgcolor="forestgreen"><font point-size="14" color="white"><b>Trainable</b></font></td></tr></table>>' +
        ", fontname=Helvetica, border=0, margin=0];",
    );
  });
});

describe("activationName: Keras's get_layer_activation_name", () => {
  it.each([
    [{ activation: "relu" }, "relu"],
    [{ activation: "swish" }, "silu"],
    [{ activation: "hard_swish" }, "hard_silu"],
    [{ activation: null }, "linear"],
    [{}, "linear"],
    [{ activation: { module: "keras.layers", class_name: "LeakyReLU", config: { name: "leaky" } } }, "leaky"],
    [
      { activation: { module: "builtins", class_name: "function", config: "my_act", registered_name: "p>my_act" } },
      "my_act",
    ],
  ])("Dense(%j) -> %s", (config, name) => {
    expect(activationName(new Layer("Dense", "d", config))).toBe(name);
  });

  it("layers without an activation attribute have none", () => {
    expect(activationName(new Layer("Add", "add", {}))).toBeNull();
  });
});

describe("modelToDot: bad options", () => {
  const { graph } = load(join(FIXTURES, "keras3/seed/mnist_mlp/model.json"));
  it.each([
    [{ showShape: true }, "unrecognized option 'showShape'"],
    [{ rankdir: "BT" }, 'rankdir must be "TB" or "LR". Received: rankdir="BT"'],
    [{ dpi: 0 }, "Received: dpi=0"],
    [{ dpi: "high" }, "option 'dpi' must be a number"],
    [{ splines: "wiggly" }, 'Received: splines="wiggly"'],
  ])("%j", (options, message) => {
    expect(() => modelToDot(graph, options as DotOptions)).toThrow(KerasGraphError);
    expect(() => modelToDot(graph, options as DotOptions)).toThrow(message);
  });
});
