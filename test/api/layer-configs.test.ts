/**
 * Every built-in layer config Keras 3.16 wrote in fixtures/keras3 (each distinct one), made again by
 * the `layers` factory from the arguments that differ from Keras's defaults: the factory must write
 * exactly Keras's `get_config()` (the same keys, defaults and serialized forms; key order aside).
 * Then the guide's positional uses, which Keras standardizes (`Conv2D(16, 3)` → `kernel_size [3, 3]`).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BuiltinLayer } from "../../src/api/layers/builtin.js";
import { layers } from "../../src/api/layers/index.js";
import { signatureOf } from "../../src/api/layers/layer-config.js";
import { KerasSession } from "../../src/api/session.js";
import { KERAS3 } from "../support/fixtures.js";
import { jsonDifferences } from "../support/json-diff.js";

type Json = Record<string, unknown>;

function modelFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? modelFiles(p) : f === "model.json" ? [p] : [];
    });
}

/** Distinct `keras.layers` configs (nested ones included), by class, with the file they came from. */
function fixtureConfigs(): [string, string, Json][] {
  const seen = new Map<string, [string, string, Json]>();
  const walk = (v: unknown, file: string): void => {
    if (Array.isArray(v)) return v.forEach((x) => walk(x, file));
    if (!v || typeof v !== "object") return;
    const o = v as Json;
    if (o.module === "keras.layers" && typeof o.class_name === "string" && o.class_name !== "InputLayer") {
      const config = o.config as Json;
      const { name: _name, ...rest } = config;
      const key = `${o.class_name} ${JSON.stringify(rest)}`;
      if (!seen.has(key)) seen.set(key, [o.class_name, file.slice(KERAS3.length + 1), config]);
    }
    Object.values(o).forEach((x) => walk(x, file));
  };
  for (const f of modelFiles(KERAS3)) walk(JSON.parse(readFileSync(f, "utf8")), f);
  return [...seen.values()];
}

const same = (a: unknown, b: unknown) => jsonDifferences(a, b).length === 0;

describe("factories write Keras's get_config() for every layer config in the fixtures", () => {
  it.for(fixtureConfigs())("%s (%s)", ([className, , want]) => {
    const session = new KerasSession();
    const sig = signatureOf(className);
    const required = sig.params.slice(0, sig.required).map((p) => want[p]);
    const base = new BuiltinLayer(className, [...required, { name: want.name, session }]).ir.config;
    const options: Json = { name: want.name, session };
    const differing = (config: Json) =>
      Object.entries(want).filter(
        ([k, v]) => k in config && !sig.params.slice(0, sig.required).includes(k) && !same(config[k], v),
      );
    for (const [k, v] of differing(base)) options[k] = v;
    // A default that follows another argument (pooling's strides = pool_size) is given where it differs.
    const first = new BuiltinLayer(className, [...required, options]).ir.config;
    for (const [k, v] of differing(first)) options[k] = v;
    const made = new BuiltinLayer(className, [...required, options]).ir.config;
    expect(jsonDifferences(made, want)).toEqual([]);
  });
});

describe("the guide's positional arguments, standardized as Keras does", () => {
  const cases: [string, () => BuiltinLayer, Json][] = [
    ["Dense(64, relu)", () => layers.Dense(64, { activation: "relu" }), { units: 64, activation: "relu" }],
    [
      "Conv2D(16, 3)",
      () => layers.Conv2D(16, 3),
      { filters: 16, kernel_size: [3, 3], strides: [1, 1], dilation_rate: [1, 1], data_format: "channels_last" },
    ],
    ["Conv1D(32, 3)", () => layers.Conv1D(32, 3), { kernel_size: [3], strides: [1], dilation_rate: [1] }],
    ["MaxPooling2D(3)", () => layers.MaxPooling2D(3), { pool_size: [3, 3], strides: [3, 3], padding: "valid" }],
    ["MaxPool2D alias", () => layers.MaxPool2D(2), { pool_size: [2, 2], strides: [2, 2] }],
    ["UpSampling2D(3)", () => layers.UpSampling2D(3), { size: [3, 3], interpolation: "nearest" }],
    ["UpSampling1D(2)", () => layers.UpSampling1D(2), { size: 2 }],
    ["Reshape([4, 4, 1])", () => layers.Reshape([4, 4, 1]), { target_shape: [4, 4, 1] }],
    ["Embedding(1000, 64)", () => layers.Embedding(1000, 64), { input_dim: 1000, output_dim: 64, mask_zero: false }],
    ["LSTM(32)", () => layers.LSTM(32), { units: 32, return_sequences: false, unit_forget_bias: true }],
    ["Dropout(0.5)", () => layers.Dropout(0.5), { rate: 0.5, seed: null, noise_shape: null }],
    [
      "ZeroPadding2D(1)",
      () => layers.ZeroPadding2D(1),
      {
        padding: [
          [1, 1],
          [1, 1],
        ],
      },
    ],
    ["Cropping1D(2)", () => layers.Cropping1D(2), { cropping: [2, 2] }],
    [
      "camelCase options",
      () => layers.Conv2D(8, 3, { useBias: false, kernelInitializer: "he_normal" }),
      {
        use_bias: false,
        kernel_initializer: {
          module: "keras.initializers",
          class_name: "HeNormal",
          config: { seed: null, input_axes: null, output_axes: null },
          registered_name: null,
        },
      },
    ],
    [
      "regularizer by name",
      () => layers.Dense(4, { kernelRegularizer: "l2" }),
      {
        kernel_regularizer: {
          module: "keras.regularizers",
          class_name: "L2",
          config: { l2: 0.01 },
          registered_name: null,
        },
      },
    ],
  ];
  it.for(cases)("%s", ([, make, want]) => {
    const config = make().ir.config;
    for (const [k, v] of Object.entries(want)) expect(config[k], k).toEqual(v);
  });

  it("leaves out at their defaults the arguments get_config does not write, keeps them when given otherwise", () => {
    expect(layers.MaxNumBoundingBoxes(4).ir.config).not.toHaveProperty("fill_value");
    expect(layers.MaxNumBoundingBoxes(4, { fillValue: -1 }).ir.config).not.toHaveProperty("fill_value");
    expect(layers.MaxNumBoundingBoxes(4, { fillValue: 0 }).ir.config.fill_value).toBe(0);
    expect(layers.RandomGrayscale().ir.config).not.toHaveProperty("seed");
    expect(layers.RandomGrayscale({ seed: 7 }).ir.config.seed).toBe(7);
  });

  it("refuses what Keras's constructors refuse, naming the class and the argument", () => {
    expect(() => layers.Dense()).toThrow(/layers\.Dense\(\) is missing its required argument 'units'/);
    expect(() => layers.Dense(4, { unitz: 3 })).toThrow(/unexpected argument 'unitz'/);
    expect(() => layers.Dense(4, { units: 3 })).toThrow(/multiple values for argument 'units'/);
    expect(() => layers.Dense(4, { activation: "relux" })).toThrow(
      /Dense 'dense(_\d+)?' activation: unknown activation "relux"/,
    );
    expect(() => layers.Dense(4, { kernelInitializer: "glorot" })).toThrow(/unknown initializer "glorot"/);
  });
});
