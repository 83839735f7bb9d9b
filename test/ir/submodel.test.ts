import { describe, expect, it } from "vitest";
import { readKerasJson } from "../../src/formats/keras-json/read.js";
import { GraphError } from "../../src/ir/errors.js";
import { cutSubmodel } from "../../src/ir/submodel.js";
import { topologicalCalls } from "../../src/ir/topo.js";
import "../../src/layers/index.js";

const chain = () =>
  readKerasJson({
    class_name: "Functional",
    config: {
      name: "chain",
      layers: [
        {
          class_name: "InputLayer",
          name: "x",
          config: { batch_shape: [null, 4], dtype: "float32", name: "x" },
          inbound_nodes: [],
        },
        { class_name: "Dense", name: "d1", config: { name: "d1", units: 3 }, inbound_nodes: [[["x", 0, 0, {}]]] },
        { class_name: "Dense", name: "d2", config: { name: "d2", units: 5 }, inbound_nodes: [[["d1", 0, 0, {}]]] },
        { class_name: "Dense", name: "d3", config: { name: "d3", units: 2 }, inbound_nodes: [[["d2", 0, 0, {}]]] },
      ],
      input_layers: [["x", 0, 0]],
      output_layers: [["d3", 0, 0]],
    },
  });

describe("cutSubmodel", () => {
  it("cuts between inner tensors, sharing the layers", () => {
    const g = chain();
    const d1 = g.getLayer("d1")!.calls[0]!.outputs[0]!;
    const d3 = g.getLayer("d3")!.calls[0]!.outputs[0]!;
    const sub = cutSubmodel(g, [d1], [d3]);
    expect(sub.layers.map((l) => l.name)).toEqual(["d2", "d3"]);
    expect(sub.layers[0]).toBe(g.getLayer("d2"));
    expect(topologicalCalls(sub).map((c) => c.layer.name)).toEqual(["d2", "d3"]);
    expect(sub.paramCounts().total).toBe(3 * 5 + 5 + 5 * 2 + 2);
  });

  it("extracts several intermediate outputs from the model's inputs (feature extraction)", () => {
    const g = chain();
    const outs = ["d1", "d2", "d3"].map((n) => g.getLayer(n)!.calls[0]!.outputs[0]!);
    const sub = cutSubmodel(g, g.inputs, outs);
    expect(sub.layers.map((l) => l.name)).toEqual(["x", "d1", "d2", "d3"]);
  });

  it("refuses outputs that the inputs do not compute", () => {
    const g = chain();
    const d2 = g.getLayer("d2")!.calls[0]!.outputs[0]!;
    const d1 = g.getLayer("d1")!.calls[0]!.outputs[0]!;
    expect(() => cutSubmodel(g, [d2], [d1])).toThrow(GraphError);
  });
});
