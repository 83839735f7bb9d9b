import { readKerasJson } from "../../src/formats/keras-json/read.js";
import type { Graph } from "../../src/ir/graph.js";
import { WeightData } from "../../src/ir/weights.js";
import { defineLayer } from "../../src/layers/define.js";
import { defaultRegistry, type LayerRegistry } from "../../src/layers/registry.js";

/** A user's custom layer, as in many siamese models: `|a - b|` summed over the last axis, keepdims. */
export const ManhattanDistance = defineLayer({
  className: "ManhattanDistance",
  defaults: {},
  outputs: (ctx) => [[...ctx.inputs[0]!.shape.slice(0, -1), 1]],
});

export function registryWithDistance(): LayerRegistry {
  const registry = defaultRegistry.extend();
  registry.register(ManhattanDistance, { registeredName: "siamese>ManhattanDistance" });
  return registry;
}

const tensor = (layer: string, shape: (number | null)[]) => ({
  class_name: "__keras_tensor__",
  config: { shape, dtype: "float32", keras_history: [layer, 0, 0] },
});

/** A siamese model: a shared Dense encoder, the custom distance, a Dense head (Keras 3 JSON). */
export const SIAMESE_CONFIG = {
  module: "keras.src.models.functional",
  class_name: "Functional",
  config: {
    name: "siamese",
    trainable: true,
    layers: [
      ...["left", "right"].map((name) => ({
        module: "keras.layers",
        class_name: "InputLayer",
        config: { batch_shape: [null, 6], dtype: "float32", sparse: false, ragged: false, name, optional: false },
        registered_name: null,
        name,
        inbound_nodes: [],
      })),
      {
        module: "keras.layers",
        class_name: "Dense",
        config: { name: "encoder", trainable: true, dtype: "float32", units: 4, activation: "relu", use_bias: true },
        registered_name: null,
        build_config: { input_shape: [null, 6] },
        name: "encoder",
        inbound_nodes: [
          { args: [tensor("left", [null, 6])], kwargs: {} },
          { args: [tensor("right", [null, 6])], kwargs: {} },
        ],
      },
      {
        module: null,
        class_name: "ManhattanDistance",
        config: { name: "distance", trainable: true, dtype: "float32" },
        registered_name: "siamese>ManhattanDistance",
        name: "distance",
        inbound_nodes: [
          {
            args: [tensor("encoder", [null, 4])],
            kwargs: {
              other: {
                class_name: "__keras_tensor__",
                config: { shape: [null, 4], dtype: "float32", keras_history: ["encoder", 1, 0] },
              },
            },
          },
        ],
      },
      {
        module: "keras.layers",
        class_name: "Dense",
        config: { name: "head", trainable: true, dtype: "float32", units: 1, activation: "sigmoid", use_bias: true },
        registered_name: null,
        build_config: { input_shape: [null, 1] },
        name: "head",
        inbound_nodes: [{ args: [tensor("distance", [null, 1])], kwargs: {} }],
      },
    ],
    input_layers: [
      ["left", 0, 0],
      ["right", 0, 0],
    ],
    output_layers: [["head", 0, 0]],
  },
  registered_name: "Functional",
  build_config: { input_shape: null },
  compile_config: {},
};

/** The siamese model with deterministic non-trivial weights. */
export function siameseModel(registry: LayerRegistry): Graph {
  const graph = readKerasJson(SIAMESE_CONFIG, { registry });
  let seed = 1;
  for (const layer of graph.layers) {
    for (const w of layer.weights ?? []) {
      const n = w.shape.reduce((a, b) => a * b, 1);
      layer.values.set(
        w.name,
        new WeightData(
          "float32",
          w.shape,
          Float32Array.from({ length: n }, () => (seed++ % 17) / 7 - 1),
        ),
      );
    }
  }
  return graph;
}
