/**
 * The reader's wiring rules on hand-written configs in both dialects: Keras 2 list-form nodes with the
 * nested-model offset, shared layers at different depths, Sequential inputs declared by the first layer,
 * and the errors for cycles, dangling references, unknown classes, bad JSON and bad shapes.
 */
import { describe, expect, it } from "vitest";
import { FormatError, GraphError, ShapeError, UnsupportedLayerError } from "../../src/ir/errors.js";
import { readKerasJson } from "../../src/formats/keras-json/read.js";
import "../../src/layers/index.js";

const input = (name: string, shape: (number | null)[]) => ({
  class_name: "InputLayer",
  name,
  config: { batch_input_shape: shape, dtype: "float32", name },
  inbound_nodes: [],
});
const dense = (name: string, units: number, nodes: unknown[]) => ({
  class_name: "Dense",
  name,
  config: { name, units, activation: "linear", use_bias: true },
  inbound_nodes: nodes,
});

describe("Keras 2 dialect", () => {
  it("reads a functional model with list-form nodes", () => {
    const g = readKerasJson({
      class_name: "Model",
      config: {
        name: "m",
        layers: [input("x", [null, 4]), dense("d1", 3, [[["x", 0, 0, {}]]]), dense("d2", 2, [[["d1", 0, 0, {}]]])],
        input_layers: [["x", 0, 0]],
        output_layers: [["d2", 0, 0]],
      },
    });
    expect(g.className).toBe("Functional");
    expect(g.outputs[0]!.shape).toEqual([null, 2]);
    expect(g.paramCounts().total).toBe(4 * 3 + 3 + 3 * 2 + 2);
  });

  it("counts a nested model's internal node: its first outer call is node 1", () => {
    const inner = {
      class_name: "Model",
      name: "inner",
      config: {
        name: "inner",
        layers: [input("a", [null, 4]), dense("h", 5, [[["a", 0, 0, {}]]])],
        input_layers: [["a", 0, 0]],
        output_layers: [["h", 0, 0]],
      },
      inbound_nodes: [[["x", 0, 0, {}]], [["y", 0, 0, {}]]],
    };
    const g = readKerasJson({
      class_name: "Model",
      config: {
        name: "outer",
        layers: [input("x", [null, 4]), input("y", [null, 4]), inner, dense("out", 1, [[["inner", 2, 0, {}]]])],
        input_layers: [
          ["x", 0, 0],
          ["y", 0, 0],
        ],
        output_layers: [
          ["out", 0, 0],
          ["inner", 1, 0],
        ],
      },
    });
    const nested = g.getLayer("inner")!;
    expect(nested.calls.length).toBe(2);
    // "inner" node 2 = second outer call, which reads y; node 1 = first call, which reads x.
    expect(g.getLayer("out")!.calls[0]!.inputs[0]).toBe(nested.calls[1]!.outputs[0]);
    expect(g.outputs[1]).toBe(nested.calls[0]!.outputs[0]);
    expect(g.paramCounts().total).toBe(4 * 5 + 5 + 5 + 1);
  });

  it("waits for calls of shared layers at different depths, as A(B(A(B(x))))", () => {
    const g = readKerasJson({
      class_name: "Functional",
      config: {
        name: "m",
        layers: [
          input("x", [null, 4]),
          dense("A", 4, [[["x", 0, 0, {}]], [["B", 0, 0, {}]]]),
          dense("B", 4, [[["A", 0, 0, {}]], [["A", 1, 0, {}]]]),
        ],
        input_layers: [["x", 0, 0]],
        output_layers: [["B", 1, 0]],
      },
    });
    expect(g.getLayer("A")!.calls.length).toBe(2);
    expect(g.getLayer("B")!.calls.length).toBe(2);
    expect(g.paramCounts().total).toBe(2 * (16 + 4));
  });

  it("reads list-style Sequential configs and builds the input from batch_input_shape", () => {
    const g = readKerasJson({
      class_name: "Sequential",
      config: [
        { class_name: "Dense", config: { name: "d1", units: 8, batch_input_shape: [null, 3], dtype: "float32" } },
        { class_name: "Dense", config: { name: "d2", units: 1 } },
      ],
    });
    expect(g.className).toBe("Sequential");
    expect(g.layers.map((l) => l.className)).toEqual(["InputLayer", "Dense", "Dense"]);
    expect(g.inputs[0]!.shape).toEqual([null, 3]);
    expect(g.paramCounts().total).toBe(3 * 8 + 8 + 8 + 1);
  });

  it("leaves a Sequential without a declared input unbuilt (0 params, like Keras)", () => {
    const g = readKerasJson({ class_name: "Sequential", config: { name: "s", layers: [dense("d", 3, [])] } });
    expect(g.layers[0]!.built).toBe(false);
    expect(g.paramCounts().total).toBe(0);
  });

  it("parses JSON stored as a JSON string", () => {
    const text = JSON.stringify(JSON.stringify({ class_name: "Sequential", config: { name: "s", layers: [] } }));
    expect(readKerasJson(text).name).toBe("s");
  });
});

describe("bad input names the layer and what was received", () => {
  const model = (layers: unknown[], outputs: unknown = [["d", 0, 0]]) => ({
    class_name: "Functional",
    config: { name: "m", layers, input_layers: [["x", 0, 0]], output_layers: outputs },
  });

  it("malformed JSON → FormatError with the file", () => {
    expect(() => readKerasJson('{"class_name": "Functional", ', { file: "broken.json" })).toThrow(FormatError);
    expect(() => readKerasJson('{"class_name": "Functional", ', { file: "broken.json" })).toThrow(
      /broken\.json: not valid JSON/,
    );
  });

  it("a cycle → GraphError naming the layers", () => {
    const cfg = model([input("x", [null, 4]), dense("d", 4, [[["e", 0, 0, {}]]]), dense("e", 4, [[["d", 0, 0, {}]]])]);
    expect(() => readKerasJson(cfg)).toThrow(GraphError);
    expect(() => readKerasJson(cfg)).toThrow(/'d' waits for 'e' node 0/);
  });

  it("a dangling reference → GraphError naming the missing layer", () => {
    const cfg = model([input("x", [null, 4]), dense("d", 4, [[["ghost", 0, 0, {}]]])]);
    expect(() => readKerasJson(cfg)).toThrow(
      /layer 'd' \(call 0\) reads from layer 'ghost', which is not in model 'm'/,
    );
  });

  it("an output naming a node that never exists → GraphError", () => {
    const cfg = model([input("x", [null, 4]), dense("d", 4, [[["x", 0, 0, {}]]])], [["d", 3, 0]]);
    expect(() => readKerasJson(cfg)).toThrow(GraphError);
  });

  it("an unknown layer class → UnsupportedLayerError naming class, layer and file", () => {
    const cfg = model([
      input("x", [null, 4]),
      { class_name: "MyDistance", name: "d", config: { name: "d" }, inbound_nodes: [[["x", 0, 0, {}]]] },
    ]);
    const err = (() => {
      try {
        readKerasJson(JSON.stringify(cfg), { file: "model.json" });
      } catch (e) {
        return e as UnsupportedLayerError;
      }
    })();
    expect(err).toBeInstanceOf(UnsupportedLayerError);
    expect(err!.className).toBe("MyDistance");
    expect(err!.message).toMatch(/^model\.json: layer 'd' has class 'MyDistance'/);
    expect(err!.message).toMatch(/registerLayerKind/);
  });

  it("a shape mismatch → ShapeError naming the layer and the received shape", () => {
    const cfg = model([input("x", [null]), dense("d", 4, [[["x", 0, 0, {}]]])]);
    expect(() => readKerasJson(cfg)).toThrow(ShapeError);
    expect(() => readKerasJson(cfg)).toThrow(/Dense 'd'.*Received/);
  });

  it("a config value of the wrong type → FormatError naming the layer", () => {
    const cfg = model([input("x", [null, 4]), dense("d", -3, [[["x", 0, 0, {}]]])]);
    expect(() => readKerasJson(cfg)).toThrow(
      /Dense 'd': config 'units' must be a positive integer. Received: units=-3/,
    );
  });

  it("duplicate layer names → GraphError", () => {
    const cfg = model([input("x", [null, 4]), dense("d", 4, [[["x", 0, 0, {}]]]), dense("d", 4, [])]);
    expect(() => readKerasJson(cfg)).toThrow(/two layers are named 'd'/);
  });

  it("a disconnected output → GraphError", () => {
    const cfg = {
      class_name: "Functional",
      config: {
        name: "m",
        layers: [input("x", [null, 4]), input("y", [null, 4]), dense("d", 4, [[["y", 0, 0, {}]]])],
        input_layers: [["x", 0, 0]],
        output_layers: [["d", 0, 0]],
      },
    };
    expect(() => readKerasJson(cfg)).toThrow(/graph disconnected: layer 'd' reads tensor y\[0\]\[0\]/);
  });
});
