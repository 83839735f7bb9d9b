import type { Graph } from "../../ir/graph.js";
import { writeKerasJson } from "../keras-json/write.js";
import type { Json } from "../keras-json/parse.js";
import { isRecord } from "../model-json.js";
import { tfjsActivationName } from "./tfjs-support.js";

/**
 * The graph as a TF.js `modelTopology`: the tf.keras 2 model config tfjs-layers reads (`{"class_name",
 * "config", "keras_version", "backend"}`), with Keras 3's activation names that tfjs-layers spells
 * differently translated (`silu` → `swish`).
 */
export function tfjsModelTopology(graph: Graph): Json {
  return renameActivations(writeKerasJson(graph, { dialect: "keras2" })) as Json;
}

function renameActivations(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(renameActivations);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    out[k] =
      (k === "activation" || k === "recurrent_activation") && typeof v === "string"
        ? tfjsActivationName(v)
        : renameActivations(v);
  }
  return out;
}
