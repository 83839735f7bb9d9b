/**
 * The Keras JSON writer against Keras and tfjs-layers, over every fixture Keras 3.16 wrote:
 * 1. IR → Keras 3 JSON equals Keras's own `model.json` (up to key order);
 * 2. read → write → read gives the same IR, in both dialects;
 * 3. the Keras 2 dialect is accepted by real tfjs-layers 4.22 with our parameter count and output shapes,
 *    or, for models using what tfjs-layers lacks, refused (each such case says why).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readKerasJson } from "../../src/formats/keras-json/read.js";
import { toKerasJsonText, writeKerasJson } from "../../src/formats/keras-json/write.js";
import type { Graph } from "../../src/ir/graph.js";
import { registryWithCustoms } from "../support/custom-layers.js";
import { KERAS3, keras3Cases } from "../support/fixtures.js";
import { describeGraph } from "../support/ir-snapshot.js";
import { jsonDifferences } from "../support/json-diff.js";
import { predictShapes, tfjsModelFromTopology } from "../support/tfjs-layers.js";

type Json = Record<string, unknown>;
const registry = registryWithCustoms();
const fixtureText = (c: string) => readFileSync(join(KERAS3, c, "model.json"), "utf8");
const readCase = (c: string): Graph => readKerasJson(fixtureText(c), { file: join(KERAS3, c, "model.json"), registry });

describe("IR → Keras 3 JSON is Keras's own model.json (key order aside)", () => {
  for (const c of keras3Cases(["seed", "zoo", "layers", "apps_config"])) {
    it(c, () => {
      const graph = readCase(c);
      const expected = JSON.parse(fixtureText(c));
      expect(jsonDifferences(writeKerasJson(graph), expected)).toEqual([]);
      // The text parses back to the same; it is not byte-equal, since JSON numbers cannot keep Python's 1.0.
      expect(jsonDifferences(JSON.parse(toKerasJsonText(graph)), expected)).toEqual([]);
    });
  }
});

/** Models the Keras 2 dialect cannot hold, with the reason. */
const KERAS2_CANNOT_WRITE: Record<string, string> = {
  "apps_config/MobileNetV3Small": "holds Keras 3 operations (x + 3, x * (1/6)), which tf.keras 2 configs cannot",
};

describe("read → write → read gives the same IR", () => {
  for (const c of keras3Cases(["seed", "zoo", "layers", "apps_config"])) {
    it(`${c} (keras3)`, () => {
      const graph = readCase(c);
      const again = readKerasJson(writeKerasJson(graph), { registry });
      expect(describeGraph(again)).toEqual(describeGraph(graph));
    });
    const refused = KERAS2_CANNOT_WRITE[c];
    if (refused) {
      it(`${c} (keras2): refused, it ${refused}`, () => {
        expect(() => writeKerasJson(readCase(c), { dialect: "keras2" })).toThrow(/Keras 2 dialect/);
      });
      continue;
    }
    it(`${c} (keras2): same layers, calls, wiring, shapes and weights`, () => {
      const graph = readCase(c);
      const again = readKerasJson(writeKerasJson(graph, { dialect: "keras2" }), { registry });
      // Configs and metadata are in Keras 2's form now (batch_input_shape, dtype names, no module);
      // tf.keras 2 lists model inputs and outputs even where Keras 3 had one tensor, and passes a call's
      // positional arguments after the first by name (MultiHeadAttention's value), so only the order of
      // each call's input tensors is compared, not the argument trees.
      const view = (g: Graph) =>
        describeGraph(g, { configs: false, meta: false, structures: false, argumentTrees: false });
      expect(view(again)).toEqual(view(graph));
    });
  }
});

/** Layer classes tfjs-layers 4.22 does not have (it has no registered class of that name). */
const TFJS_MISSING_CLASSES = [
  "ActivityRegularization",
  "AdaptiveAveragePooling1D",
  "AdaptiveAveragePooling2D",
  "AdaptiveAveragePooling3D",
  "AdaptiveMaxPooling1D",
  "AdaptiveMaxPooling2D",
  "AdaptiveMaxPooling3D",
  "AdditiveAttention",
  "Attention",
  "AugMix",
  "AutoContrast",
  "ContrastLimitedAdaptiveHistogramEqualization",
  "Conv1DTranspose",
  "ConvLSTM1D",
  "ConvLSTM3D",
  "Cropping1D",
  "Cropping3D",
  "CutMix",
  "DepthwiseConv1D",
  "EinsumDense",
  "GlobalAveragePooling3D",
  "GlobalMaxPooling3D",
  "GroupNormalization",
  "MultiHeadAttention",
  "Subtract",
  "UpSampling1D",
];

/** Why tfjs-layers 4.22 cannot build a fixture's model; empty when it can. Read from Keras's JSON. */
function tfjsGaps(model: Json): string[] {
  const gaps = new Set<string>();
  const walk = (cfg: Json) => {
    for (const l of cfg.layers as Json[]) {
      const cls = l.class_name as string;
      const c = l.config as Json;
      if (Array.isArray(c.layers)) walk(c);
      if (TFJS_MISSING_CLASSES.includes(cls)) gaps.add(`tfjs-layers 4.22 has no ${cls} layer`);
      if (cls === "CustomDense") {
        gaps.add("CustomDense is a custom layer: tfjs-layers needs a JavaScript class registered under that name");
      }
      if (cls === "GRU" && c.reset_after === true) {
        gaps.add("tfjs-layers 4.22's GRU supports only reset_after=false (Keras's default is true)");
      }
      if (c.activation === "exponential") gaps.add("tfjs-layers 4.22 has no 'exponential' activation");
      const firstInput = JSON.stringify((l.inbound_nodes as Json[])[0]?.args ?? []).match(/"shape":\[([^\]]*)\]/);
      if (cls === "Flatten" && firstInput && firstInput[1]!.split(",").length === 2) {
        gaps.add("tfjs-layers 4.22's Flatten wants rank ≥ 3 input (Keras flattens rank 2 as is)");
      }
    }
  };
  walk(model.config as Json);
  return [...gaps];
}

describe("Keras 2 dialect → tfjs-layers 4.22 (modelFromJSON)", () => {
  for (const c of keras3Cases(["seed", "zoo", "layers"])) {
    const gaps = tfjsGaps(JSON.parse(fixtureText(c)));
    if (gaps.length) {
      it(`${c}: refused, as ${gaps.join("; ")}`, async () => {
        await expect(tfjsModelFromTopology(writeKerasJson(readCase(c), { dialect: "keras2" }))).rejects.toThrow();
      });
      continue;
    }
    it(c, async () => {
      const graph = readCase(c);
      const model = await tfjsModelFromTopology(writeKerasJson(graph, { dialect: "keras2" }));
      expect(model.countParams()).toBe(graph.paramCounts().total);
      expect(model.outputs.map((t) => t.shape)).toEqual(graph.outputs.map((t) => t.shape));
      const ran = predictShapes(model);
      expect(ran.map((s) => s.length)).toEqual(graph.outputs.map((t) => t.shape.length));
    });
  }
});
