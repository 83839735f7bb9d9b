/**
 * `summaryText` against what Keras 3 printed: every `summary.txt` of fixtures/keras3 and beside the real
 * files (drawn at line_length=110 and cropped by rich to 80 columns, see fixtures/keras3/README.md), and
 * whole-width goldens from real Keras for the options the fixtures do not use (summary-golden/gen.py).
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { openModel } from "../../src/formats/open.js";
import { readKerasJson } from "../../src/formats/keras-json/read.js";
import { callLayer } from "../../src/ir/build.js";
import { Graph, Layer, type Tensor } from "../../src/ir/graph.js";
import { defineLayer } from "../../src/layers/define.js";
import type { LayerRegistry } from "../../src/layers/registry.js";
import { readableMemorySize, summaryJson, summaryText, type SummaryOptions } from "../../src/tools/summary/index.js";
import { wrapText } from "../../src/tools/summary/rich-table.js";
import { keras3Cases, FIXTURES, KERAS3 } from "../support/fixtures.js";
import { registryWithCustoms } from "../support/custom-layers.js";

/**
 * What rich left of our 110-wide lines on the recorder's console, and the "\n" the recorder added. The
 * shared set's summaries were cropped to 80 columns; the layers/ cases made later (H–S, SOURCES.md) ran
 * with a 200-column console and are whole, so `recorded` (Keras's file) tells which.
 */
function asRecorded(text: string, recorded: string): string {
  const cropped = Math.max(...recorded.split("\n").map((l) => [...l].length)) <= 80;
  return (
    text
      .split("\n")
      .map((line) => (cropped ? [...line].slice(0, 80).join("") : line))
      .join("\n") + "\n"
  );
}

const CASES = keras3Cases(["seed", "zoo", "layers", "apps_config"]).filter((c) =>
  existsSync(join(KERAS3, c, "summary.txt")),
);

/** Cases whose summary differs from Keras's for a reason outside the summary, skipped while they differ. */
const KNOWN_DIFFERENCES: Record<string, string> = {};

describe("summary of fixtures/keras3, read with the catalog", () => {
  it.for(CASES)("%s", (c, ctx) => {
    const dir = join(KERAS3, c);
    const graph = readKerasJson(readFileSync(join(dir, "model.json"), "utf8"), { registry: registryWithCustoms() });
    const want = readFileSync(join(dir, "summary.txt"), "utf8");
    const ours = asRecorded(summaryText(graph, { lineLength: 110 }), want);
    if (ours !== want && KNOWN_DIFFERENCES[c]) return ctx.skip(KNOWN_DIFFERENCES[c]);
    expect(ours).toBe(want);
  });
});

const REAL = join(FIXTURES, "real");
function realSummaries(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (!statSync(path).isDirectory()) return [];
      if (name.endsWith(".ref"))
        return existsSync(join(path, "summary.txt")) ? [relative(REAL, path.slice(0, -4))] : [];
      return realSummaries(path);
    });
}

/** Real files whose Keras summary we knowingly do not reproduce. */
const REAL_DIFFERENCES: Record<string, string> = {
  "NeuralNetworkVerification+Marabou/resources/keras/fc_2-2sigmoids-3.h5":
    "Keras 3's legacy loader turns the first Dense's batch_input_shape [null, 2] into input_shape, so Keras's model takes (None, None, 2); the reader keeps (None, 2)",
};

describe("summary of real files", () => {
  it.for(realSummaries(REAL))("%s", async (file, ctx) => {
    const graph = (await openModel(join(REAL, file))).graph;
    const want = readFileSync(join(REAL, `${file}.ref`, "summary.txt"), "utf8");
    const ours = asRecorded(summaryText(graph, { lineLength: 110 }), want);
    if (ours !== want && REAL_DIFFERENCES[file]) return ctx.skip(REAL_DIFFERENCES[file]);
    expect(ours).toBe(want);
  });
});

/** `Pair` from summary-golden/gen.py: two tensors in, the same shapes out. */
const Pair = defineLayer({ className: "Pair", defaults: {}, outputs: (ctx) => ctx.inputs.map((t) => t.shape) });

function goldenRegistry(): LayerRegistry {
  const registry = registryWithCustoms();
  registry.register(Pair, { registeredName: "golden>Pair" });
  return registry;
}

const GOLDEN = join(import.meta.dirname, "summary-golden");
const goldens = readdirSync(GOLDEN)
  .filter((c) => existsSync(join(GOLDEN, c, "variants.json")))
  .sort()
  .flatMap((c) => {
    const variants = JSON.parse(readFileSync(join(GOLDEN, c, "variants.json"), "utf8")) as Record<
      string,
      Record<string, unknown>
    >;
    return Object.entries(variants).map(([v, kwargs]) => [`${c}/${v}`, kwargs] as const);
  });

describe("summary options, against real Keras at full width", () => {
  it.each(goldens)("%s", (name, kwargs) => {
    const [c, v] = name.split("/") as [string, string];
    const graph = readKerasJson(readFileSync(join(GOLDEN, c, "model.json"), "utf8"), { registry: goldenRegistry() });
    const options: SummaryOptions = { terminalColumns: 300 }; // gen.py runs Keras with COLUMNS=300
    if (kwargs.line_length !== undefined) options.lineLength = kwargs.line_length as number;
    if (kwargs.positions !== undefined) options.positions = kwargs.positions as number[];
    if (kwargs.expand_nested !== undefined) options.expandNested = kwargs.expand_nested as boolean;
    if (kwargs.show_trainable !== undefined) options.showTrainable = kwargs.show_trainable as boolean;
    expect(summaryText(graph, options)).toBe(readFileSync(join(GOLDEN, c, `${v}.txt`), "utf8"));
  });
});

describe("summary pieces", () => {
  it.each([
    [0, "0.00 B"],
    [8 * 1000, "1000.00 B"],
    [8 * 1024, "1.00 KB"],
    [8 * 1152, "1.12 KB"], // 1.125: Python rounds half to even
    [8 * 1664, "1.62 KB"], // 1.625
    [8 * 1408, "1.38 KB"], // 1.375
    [8 * 893_000, "872.07 KB"],
    [8 * 5_568_388, "5.31 MB"],
    [1, "0.12 B"], // one bool: 1 bit
    [8 * 1024 ** 3, "1.00 GB"],
  ])("readable memory size of %i bits is %s", (bits, text) => {
    expect(readableMemorySize(bits)).toBe(text);
  });

  it("wraps between words, and cuts a word too long for any line with an ellipsis", () => {
    expect(wrapText("global_average_pooling2d (GlobalAveragePooling2D)", 30, "left")).toEqual([
      "global_average_pooling2d      ",
      "(GlobalAveragePooling2D)      ",
    ]);
    expect(wrapText("expanded_conv_squeeze_excite_pool (GlobalAveragePooling2D)", 30, "left")).toEqual([
      "expanded_conv_squeeze_excite_…",
      "(GlobalAveragePooling2D)      ",
    ]);
    expect(wrapText("conv2d_3[0][0], max_pooling2d[0][0]", 26, "left")).toEqual([
      "conv2d_3[0][0],           ",
      "max_pooling2d[0][0]       ",
    ]);
    expect(wrapText("1,234", 8, "right")).toEqual(["   1,234"]);
    expect(wrapText("Y", 6, "center")).toEqual(["  Y   "]);
  });
});

describe("summary of a graph built by hand", () => {
  const resolve = registryWithCustoms().resolver();
  const input = (g: Graph, name: string, shape: (number | null)[]): Tensor => {
    const layer = g.addLayer(new Layer("InputLayer", name, { batch_shape: shape, dtype: "float32" }));
    return callLayer(layer, [], {}, resolve).outputs[0]!;
  };
  const dense = (g: Graph, name: string, units: number, x: Tensor): Tensor => {
    const layer = g.getLayer(name) ?? g.addLayer(new Layer("Dense", name, { units }));
    return callLayer(layer, [x], {}, resolve).outputs[0]!;
  };

  it("leaves a Sequential's InputLayer out and draws three columns", () => {
    const g = new Graph("mlp", "Sequential");
    const x = input(g, "input_layer", [null, 784]);
    g.inputs = [x];
    g.outputs = [dense(g, "out", 10, dense(g, "hidden", 64, x))];
    const text = summaryText(g, { lineLength: 70 });
    expect(text).not.toContain("InputLayer");
    expect(text).not.toContain("Connected to");
    // Checked against Keras 3.15 + rich 15: model.summary(line_length=70).
    expect(text.split("\n")[4]).toBe("│ hidden (Dense)               │ (None, 64)            │      50,240 │");
    expect(text).toContain(" Total params: 50,890 (198.79 KB)\n");
  });

  it("draws a shared layer with its connections and reports it in JSON", () => {
    const g = new Graph("siamese");
    const a = input(g, "a", [null, 4]);
    const b = input(g, "b", [null, 4]);
    g.inputs = [a, b];
    g.outputs = [dense(g, "shared", 2, a), dense(g, "shared", 2, b)];
    const text = summaryText(g, { lineLength: 110 });
    expect(text).toContain(
      "│ shared (Dense)                 │ (None, 2)                 │               10 │ a[0][0], b[0][0]           │",
    );
    expect(summaryJson(g)).toEqual({
      name: "siamese",
      total_params: 10,
      trainable_params: 10,
      non_trainable_params: 0,
      inputs: [
        { name: "a", shape: [null, 4], dtype: "float32" },
        { name: "b", shape: [null, 4], dtype: "float32" },
      ],
      outputs: [
        { name: "shared", shape: [null, 2], dtype: "float32" },
        { name: "shared", shape: [null, 2], dtype: "float32" },
      ],
      layers: [
        { name: "a", class_name: "InputLayer", output_shape: [[null, 4]], calls: 1, params: 0 },
        { name: "b", class_name: "InputLayer", output_shape: [[null, 4]], calls: 1, params: 0 },
        { name: "shared", class_name: "Dense", output_shape: [[null, 2]], calls: 2, params: 10 },
      ],
    });
  });

  it("refuses columns narrower than Keras allows", () => {
    const g = new Graph("tiny", "Sequential");
    g.inputs = [input(g, "x", [null, 3])];
    g.outputs = [dense(g, "d", 1, g.inputs[0]!)];
    expect(() => summaryText(g, { lineLength: 8 })).toThrow(/Insufficient console width.*lineLength=8/);
  });
});
