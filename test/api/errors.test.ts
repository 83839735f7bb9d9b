/**
 * Bad use of the Functional API fails while the graph is built, as in Keras, with a message naming
 * the layer (or model), what it expected and what it received.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { Input, KerasLayer, Model, clearSession, layers } from "../../src/api/index.js";
import { GraphError, ShapeError } from "../../src/ir/errors.js";
import type { Shape } from "../../src/ir/shape.js";

beforeEach(() => clearSession());

describe("calling a layer on an incompatible input throws at once", () => {
  it("Conv2D on a 2-D tensor", () => {
    const x = Input([784]);
    expect(() => layers.Conv2D(16, 3)(x)).toThrow(ShapeError);
    expect(() => layers.Conv2D(16, 3, { name: "conv" })(x)).toThrow(
      "Conv2D 'conv': input 0 is incompatible with the layer: expected min_ndim=4, found ndim=2. Full shape received: (None, 784)",
    );
  });

  it("Dense on a tensor whose last dimension is unknown", () => {
    const x = Input({ shape: [null] });
    expect(() => layers.Dense(4, { name: "head" })(x)).toThrow(
      "Dense 'head': the last dimension of the input must be known to build the kernel. Received: None. " +
        "Full input shape received: (None, None) float32",
    );
  });

  it("a merge of mismatched shapes", () => {
    const [a, b] = [Input([3]), Input([4])];
    expect(() => layers.add([a, b], { name: "sum" })).toThrow(
      /^Add 'sum': .*incompatible shapes.*\(None, 3\) float32, \(None, 4\) float32$/,
    );
    const [c, d] = [Input([3, 2]), Input([4, 2])];
    expect(() => layers.concatenate([c, d], -1, { name: "cat" })).toThrow(
      /^Concatenate 'cat': .*\(None, 3, 2\).*\(None, 4, 2\)/,
    );
  });

  it("an LSTM on a 2-D tensor, an input that is not symbolic", () => {
    expect(() => layers.LSTM(8, { name: "rnn" })(Input([5]))).toThrow(
      /^LSTM 'rnn': .*expected min_ndim=3, found ndim=2/,
    );
    expect(() => layers.Dense(3, { name: "d" })(new Float32Array(3) as never)).toThrow(
      /^Dense 'd' was called on a Float32Array, not on a symbolic tensor/,
    );
  });

  it("a failed call leaves the layer unbuilt and uncalled", () => {
    const dense = layers.Dense(4);
    expect(() => dense(Input({ shape: [null] }))).toThrow(ShapeError);
    expect(dense.built).toBe(false);
    expect(dense.ir.calls).toHaveLength(0);
    expect(dense(Input([3])).shape).toEqual([null, 4]);
  });
});

describe("a model must be connected and well formed", () => {
  it("outputs not computed from the inputs", () => {
    const [a, b] = [Input({ shape: [3], name: "a" }), Input({ shape: [3], name: "b" })];
    const out = layers.Dense(2, { name: "head" })(b);
    expect(() => new Model(a, out, { name: "broken" })).toThrow(GraphError);
    expect(() => new Model(a, out, { name: "broken" })).toThrow(
      /^model 'broken': graph disconnected: layer 'head' reads tensor b\[0\]\[0\], which is not one of the model's inputs \(a\[0\]\[0\]\)/,
    );
  });

  it("outputs that are not KerasTensors, duplicate layer names", () => {
    const a = Input([3]);
    expect(() => new Model(a, [layers.Dense(2)(a), 3 as never], { name: "m" })).toThrow(
      "model 'm': all outputs must be KerasTensors (from Input() or a layer call). Received: Number at outputs[1]",
    );
    const x = layers.Dense(2, { name: "same" })(a);
    expect(() => new Model(a, layers.Dense(2, { name: "same" })(x), { name: "m" })).toThrow(
      "model 'm': layer names must be unique. Received duplicates: same",
    );
  });

  it("getLayer of an unknown name lists the layers", () => {
    const a = Input({ shape: [3], name: "x" });
    const m = new Model(a, layers.Dense(1, { name: "y" })(a));
    expect(() => m.getLayer("z")).toThrow("No such layer: z. Existing layers are: x, y.");
  });
});

describe("serializing a custom layer without getConfig", () => {
  class Scale extends KerasLayer {
    constructor(readonly factor = 2) {
      super();
    }
    override computeOutputShape(shape: Shape): Shape {
      return shape;
    }
  }

  it("builds and summarizes, but getConfig, toJson and save refuse, naming the layer and its class", async () => {
    const a = Input([3]);
    const model = new Model(a, new Scale()(a));
    expect(model.summary({ printFn: () => {} })).toContain("scale (Scale)");
    const message =
      /^Scale 'scale' cannot be serialized: the custom layer class Scale does not implement getConfig\(\)/;
    expect(() => model.getConfig()).toThrow(message);
    expect(() => model.toJson()).toThrow(message);
    await expect(model.save("/nonexistent/never-written.keras")).rejects.toThrow(message);
  });
});
