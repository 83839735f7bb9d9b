import type { Graph } from "../../ir/graph.js";
import { writeKerasJson } from "../keras-json/write.js";
import type { Json } from "../keras-json/parse.js";
import { isRecord } from "../model-json.js";
import { tfjsActivationName } from "./tfjs-support.js";

/**
 * The graph as a TF.js `modelTopology`: the tf.keras 2 model config tfjs-layers reads (`{"class_name",
 * "config", "keras_version", "backend"}`), with Keras 3's activation names that tfjs-layers spells
 * differently translated (`silu` → `swish`), Keras's `Identity` layer written as a linear `Activation`
 * (tfjs-layers' "Identity" is an initializer) and a Reshape's -1 resolved (see resolvedReshapes).
 */
export function tfjsModelTopology(graph: Graph): Json {
  const reshapes = resolvedReshapes(graph);
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (!isRecord(value)) return value;
    if (value.class_name === "Reshape" && isRecord(value.config) && reshapes.has(value.config.name as string)) {
      return { ...value, config: { ...value.config, target_shape: reshapes.get(value.config.name as string) } };
    }
    return translateLayer(value, rewrite);
  };
  return rewrite(writeKerasJson(graph, { dialect: "keras2" })) as Json;
}

/**
 * Reshape layers whose `target_shape` has a -1 that the graph resolved (one call, a fully known output):
 * tfjs-layers leaves such a dimension unknown, and a Flatten after it then refuses to build.
 */
function resolvedReshapes(
  graph: Graph,
  out = new Map<string, number[]>(),
  seen = new Set<string>(),
): Map<string, number[]> {
  for (const layer of graph.uniqueLayers()) {
    if (layer.subgraph) resolvedReshapes(layer.subgraph, out, seen);
    if (layer.className !== "Reshape") continue;
    const shape = layer.calls.length === 1 ? layer.calls[0]!.outputs[0]?.shape.slice(1) : undefined;
    const target = layer.config.target_shape;
    const wildcard = Array.isArray(target) && target.includes(-1);
    if (seen.has(layer.name)) out.delete(layer.name);
    else if (wildcard && shape && shape.every((d) => typeof d === "number")) out.set(layer.name, shape as number[]);
    seen.add(layer.name);
  }
  return out;
}

function translateLayer(value: Record<string, unknown>, rewrite: (v: unknown) => unknown): unknown {
  if (value.class_name === "Identity" && isRecord(value.config) && typeof value.config.name === "string") {
    const { name, trainable, dtype } = value.config;
    const config = {
      name,
      ...(trainable !== undefined ? { trainable } : {}),
      ...(dtype !== undefined ? { dtype } : {}),
      activation: "linear",
    };
    return { ...value, class_name: "Activation", config };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      (k === "activation" || k === "recurrent_activation") && typeof v === "string"
        ? tfjsActivationName(v)
        : rewrite(v);
  }
  return out;
}

/**
 * The `modelTopology` a model.json file holds: the model config as tfjs-layers saves it, or, for a
 * compiled model, the converter's `{keras_version, backend, model_config, training_config}` (tfjs-layers
 * reads the model config from either and ignores `training_config`, which keeps the compile arguments:
 * Keras's `compile_config` with the optimizer, whole, as `optimizer_config`).
 */
export function tfjsFileTopology(graph: Graph): Json {
  const model = tfjsModelTopology(graph);
  const compile = graph.envelope.compile_config;
  if (!isRecord(compile) || Object.keys(compile).length === 0) return model;
  const { optimizer, ...rest } = compile;
  const training = { ...rest, ...(optimizer !== undefined ? { optimizer_config: optimizer } : {}) };
  const { keras_version, backend, ...modelConfig } = model;
  return { keras_version, backend, model_config: modelConfig, training_config: training };
}
