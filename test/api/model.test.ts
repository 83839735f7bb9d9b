/**
 * The Model and Layer surface beyond the guide's examples: sessions and automatic names, shared layers
 * and shared models, inputs and outputs as records, layer.input/output, cloneModel, saving and
 * loading in every format, models read from Keras's files.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { mnistModel } from "../../examples/mnist-mlp.js";
import {
  Input,
  KerasSession,
  Model,
  type NdArray,
  clearSession,
  cloneModel,
  layers,
  loadModel,
  ndarray,
} from "../../src/api/index.js";
import { mismatch } from "../support/allclose.js";
import { KERAS3 } from "../support/fixtures.js";

beforeEach(() => clearSession());

const batch = (n: number, f: number) =>
  ndarray(
    "float32",
    [n, f],
    Float32Array.from({ length: n * f }, (_, i) => Math.sin(i / 3)),
  );
const tmp = () => mkdtempSync(join(tmpdir(), "kerasgraph-api-"));

describe("names come from an explicit session", () => {
  it("counts per base name like Keras's uniquify; clearSession starts again", () => {
    expect([layers.Dense(1).name, layers.Dense(1).name, layers.Conv2D(1, 1).name]).toEqual([
      "dense",
      "dense_1",
      "conv2d",
    ]);
    expect(Input([2]).name).toBe("input_layer");
    clearSession();
    expect(layers.Dense(1).name).toBe("dense");
  });

  it("another session names independently, passed as an option or made current with run()", () => {
    const session = new KerasSession();
    layers.Dense(1);
    expect(layers.Dense(1, { session }).name).toBe("dense");
    expect(session.run(() => [layers.Dense(1).name, Input([2]).name])).toEqual(["dense_1", "input_layer"]);
    expect(layers.Dense(1).name).toBe("dense_1");
  });
});

describe("graphs of layers", () => {
  it("a layer called twice is shared: one layer, two calls, one set of weights", () => {
    const shared = layers.Dense(4);
    const [a, b] = [Input([3]), Input([3])];
    const model = new Model([a, b], layers.add([shared(a), shared(b)]));
    expect(shared.ir.calls).toHaveLength(2);
    expect(model.layers.filter((l) => l === shared)).toHaveLength(1);
    expect(model.countParams()).toBe(16);
    expect(shared.input).toBe(a);
  });

  it("a model called twice shares its weights; layer.output feeds a new model", async () => {
    const inner = mnistModel();
    const x = Input([784]);
    const twice = new Model(x, layers.average([inner(x), inner(x)]));
    expect(twice.countParams()).toBe(inner.countParams());
    const first = inner.getLayer("dense");
    const cut = new Model({ inputs: inner.input, outputs: first.output });
    expect(cut.outputs[0]!.shape).toEqual([null, 64]);
    const [y1, y2] = [await twice.predict(batch(2, 784)), await inner.predict(batch(2, 784))];
    expect(mismatch(y1 as NdArray, y2 as NdArray)).toBeNull();
  });

  it("inputs and outputs given as records come back as records", async () => {
    const [a, b] = [Input({ shape: [2], name: "a" }), Input({ shape: [2], name: "b" })];
    const model = new Model({
      inputs: { a, b },
      outputs: { sum: layers.add([a, b], { name: "sum" }), prod: layers.multiply([a, b], { name: "prod" }) },
    });
    expect(Object.keys(model.output as object)).toEqual(["sum", "prod"]);
    const config = model.getConfig();
    expect(config.input_layers).toEqual({ a: ["a", 0, 0], b: ["b", 0, 0] });
    const y = (await model.predict({ a: batch(1, 2), b: batch(1, 2) })) as Record<string, NdArray>;
    expect(Object.keys(y)).toEqual(["sum", "prod"]);
  });

  it("trainable: false freezes a layer's weights in the counts and the config", () => {
    const x = Input([3]);
    const frozen = layers.Dense(2, { trainable: false });
    const model = new Model(x, layers.Dense(1)(frozen(x)));
    expect(model.summary({ printFn: () => {} })).toContain("Non-trainable params: 8");
    frozen.trainable = true;
    expect(frozen.getConfig().trainable).toBe(true);
  });
});

describe("cloning, saving and loading", () => {
  it("cloneModel: the same config and names, fresh weights", () => {
    const model = mnistModel();
    const clone = cloneModel(model);
    expect(clone.getConfig()).toEqual(model.getConfig());
    expect(clone.getLayer("dense").getWeights()[0]).not.toEqual(model.getLayer("dense").getWeights()[0]);
  });

  it.for(["m.keras", "m.h5", "m.json"])("save and loadModel through %s", async (file) => {
    const model = mnistModel();
    const path = join(tmp(), file);
    await model.save(path);
    const loaded = await loadModel(path);
    expect(loaded.getConfig()).toEqual(model.getConfig());
    if (file.endsWith(".json")) return;
    const [a, b] = [await model.predict(batch(2, 784)), await loaded.predict(batch(2, 784))];
    expect(mismatch(b as NdArray, a as NdArray, { atol: 0, rtol: 0 })).toBeNull();
  });

  it("a model Keras saved opens as a Model whose layers are API layers", async () => {
    const model = await loadModel(join(KERAS3, "seed/nested_autoencoder/model.keras"));
    expect(model.layers.map((l) => `${l.name}:${l.className}`)).toEqual([
      "img:InputLayer",
      "encoder:Functional",
      "decoder:Functional",
    ]);
    const encoder = model.getLayer("encoder") as Model;
    expect(encoder.layers.map((l) => l.name)).toContain("conv2d_3");
    expect(encoder.getLayer("conv2d").output).toBeDefined();
  });
});
