/**
 * The Keras JSON writer against Keras and tfjs-layers, over every fixture Keras 3.16 wrote:
 * 1. IR → Keras 3 JSON equals Keras's own `model.json` (up to key order);
 * 2. read → write → read gives the same IR, in both dialects;
 * 3. the Keras 2 dialect is accepted by real tfjs-layers 4.22 with our parameter count and output shapes,
 *    or, for models using what tfjs-layers lacks, refused; a layer tfjs-layers has but cannot run is built
 *    and then fails as tfjs-layers does (each such case says why).
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
import { isTfjsLayerClass, predictShapes, tfjsModelFromTopology } from "../support/tfjs-layers.js";

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

/**
 * Layer classes tfjs-layers 4.22 does not have: it registers no class of that name, or (Identity) only a
 * class that is not a layer (its Identity initializer). Checked against tfjs-layers' registry below.
 */
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
  "Identity",
  "MaxNumBoundingBoxes",
  "MelSpectrogram",
  "MixUp",
  "MultiHeadAttention",
  "Normalization",
  "RMSNormalization",
  "RandAugment",
  "RandomBrightness",
  "RandomColorDegeneration",
  "RandomColorJitter",
  "RandomContrast",
  "RandomCrop",
  "RandomElasticTransform",
  "RandomErasing",
  "RandomFlip",
  "RandomGaussianBlur",
  "RandomGrayscale",
  "RandomHue",
  "RandomInvert",
  "RandomPerspective",
  "RandomPosterization",
  "RandomRotation",
  "RandomSaturation",
  "RandomSharpness",
  "RandomShear",
  "ReversibleEmbedding",
  "SeparableConv1D",
  "Solarization",
  "SpatialDropout2D",
  "SpatialDropout3D",
  "Subtract",
  "UpSampling1D",
];

it("tfjs-layers 4.22 registers no layer class of the names TFJS_MISSING_CLASSES lists", () => {
  expect(TFJS_MISSING_CLASSES.filter(isTfjsLayerClass)).toEqual([]);
  expect(["Dense", "Resizing", "SeparableConv2D", "SpatialDropout1D"].filter(isTfjsLayerClass)).toHaveLength(4);
});

/**
 * Layer classes tfjs-layers 4.22 has and builds (with our parameter count and output shapes), but cannot
 * run in a model, with the reason and what running says.
 */
const TFJS_CANNOT_RUN: Record<string, [reason: string, error: RegExp]> = {
  Resizing: [
    "tfjs-layers 4.22's Resizing.call passes the model's input list, not its tensor, to image.resizeBilinear",
    /resizeBilinear: x must be rank 3 or 4, but got rank 1/,
  ],
};

/** The layer classes of a Keras JSON model, nested models' included. */
function layerClasses(model: Json): string[] {
  const cfg = model.config as Json;
  return (cfg.layers as Json[]).flatMap((l) =>
    Array.isArray((l.config as Json).layers) ? layerClasses(l) : [l.class_name as string],
  );
}

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
    const model = JSON.parse(fixtureText(c)) as Json;
    const gaps = tfjsGaps(model);
    if (gaps.length) {
      it(`${c}: refused, as ${gaps.join("; ")}`, async () => {
        await expect(tfjsModelFromTopology(writeKerasJson(readCase(c), { dialect: "keras2" }))).rejects.toThrow();
      });
      continue;
    }
    const cannotRun = layerClasses(model).flatMap((cls) => (TFJS_CANNOT_RUN[cls] ? [TFJS_CANNOT_RUN[cls]] : []));
    it(
      cannotRun.length ? `${c}: builds, but cannot run, as ${cannotRun.map(([why]) => why).join("; ")}` : c,
      async () => {
        const graph = readCase(c);
        const model = await tfjsModelFromTopology(writeKerasJson(graph, { dialect: "keras2" }));
        expect(model.countParams()).toBe(graph.paramCounts().total);
        expect(model.outputs.map((t) => t.shape)).toEqual(graph.outputs.map((t) => t.shape));
        if (cannotRun.length) {
          for (const [, error] of cannotRun) expect(() => predictShapes(model)).toThrow(error);
          return;
        }
        const ran = predictShapes(model);
        expect(ran.map((s) => s.length)).toEqual(graph.outputs.map((t) => t.shape.length));
      },
    );
  }
});
