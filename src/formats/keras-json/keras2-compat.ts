import type { Layer } from "../../ir/graph.js";
import { gruBeforeReset } from "./keras3-compat.js";
import { isObject, type Json } from "./parse.js";

/**
 * A layer's config in the tf.keras 2 dialect: what a Keras 2 file held passes through (but for
 * `Policy` dtype objects, written as their name); what Keras 3 wrote is rewritten the way tf.keras 2
 * wrote the same layer:
 * - InputLayer's `batch_shape` is `batch_input_shape`, LeakyReLU's `negative_slope` is `alpha`, the
 *   `silu` activation is `swish`;
 * - dtype policies are plain dtype names (a quantized policy's compute dtype);
 * - serialized objects (initializers, regularizers, constraints, nested layers) are `{"class_name",
 *   "config"}`, without Keras 3's `module`, `registered_name`, `build_config`, `shared_object_id`;
 *   Keras 3's `{"class_name": "function", "config": "relu"}` functions are their names;
 * - keys Keras 3 added are removed where they hold the value that means "as in Keras 2"; another value
 *   changes the layer and is kept for the reader to refuse (see KERAS3_ONLY_KEYS);
 * - a GRU written before `reset_after` existed (or by tfjs-layers) gets `reset_after: false`, which
 *   tf.keras 2.3+ would otherwise default to True.
 */
export function keras2LayerConfig(layer: Layer): Json {
  return keras2Config(layer.className, layer.config);
}

const RNN_CLASSES = ["SimpleRNN", "LSTM", "GRU", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "RNN"];

/**
 * Keys Keras 3 writes that tf.keras 2 did not have, with the values that mean "as in Keras 2" (and the
 * classes they are limited to). tf.keras 2 rejects an unknown constructor argument ("Keyword argument
 * not understood"); tfjs-layers 4.22 ignores unknown keys, so these matter for Keras 2 itself.
 */
const KERAS3_ONLY_KEYS: { key: string; values: unknown[]; classes?: string[] }[] = [
  { key: "optional", values: [false], classes: ["InputLayer"] },
  { key: "quantization_config", values: [null] },
  { key: "lora_rank", values: [null] },
  { key: "lora_alpha", values: [null] },
  { key: "synchronized", values: [false] },
  { key: "rms_scaling", values: [false] },
  { key: "use_cudnn", values: ["auto"] },
  { key: "use_gate", values: [false] },
  { key: "sliding_window", values: [null] },
  { key: "input_axes", values: [null] },
  { key: "output_axes", values: [null] },
  { key: "seed", values: [null], classes: RNN_CLASSES },
];

/** Keys Keras 3 renamed, by class: tf.keras 2's LeakyReLU (and tfjs-layers') reads `alpha`. */
const KERAS2_NAMES: Record<string, Record<string, string>> = {
  InputLayer: { batch_shape: "batch_input_shape" },
  LeakyReLU: { negative_slope: "alpha" },
};

const ACTIVATION_KEYS = new Set(["activation", "recurrent_activation"]);

/** Keras 3 activation names that tf.keras 2 and tfjs-layers know under another name. */
const KERAS2_ACTIVATIONS: Record<string, string> = { silu: "swish" };

function keras2Config(className: string, config: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(config)) {
    const keras3Only = KERAS3_ONLY_KEYS.find((k) => k.key === key && (!k.classes || k.classes.includes(className)));
    if (keras3Only && keras3Only.values.includes(value)) continue;
    // Own keys only: a config naming "constructor" or "hasOwnProperty" must not find Object's.
    const renames = Object.hasOwn(KERAS2_NAMES, className) ? KERAS2_NAMES[className] : undefined;
    const name = renames && Object.hasOwn(renames, key) ? renames[key]! : key;
    if (key === "dtype") out.dtype = keras2Dtype(value);
    else if (ACTIVATION_KEYS.has(key) && typeof value === "string")
      out[name] = Object.hasOwn(KERAS2_ACTIVATIONS, value) ? KERAS2_ACTIVATIONS[value]! : value;
    else out[name] = keras2Value(value);
  }
  if (gruBeforeReset(className, config)) out.reset_after = false;
  return out;
}

/** A Keras 3 DTypePolicy (or Keras 2 Policy) object as its name; the compute dtype of a quantized policy. */
export function keras2Dtype(dtype: unknown): unknown {
  if (!isObject(dtype)) return dtype;
  const cfg = isObject(dtype.config) ? dtype.config : {};
  if (typeof cfg.name !== "string") return dtype;
  const name = cfg.name;
  const quantized = /^(?:int8|int4|float8)_from_(.+)$/.exec(name);
  return quantized ? quantized[1] : name;
}

/** Serialized Keras objects inside a config, recursively, in tf.keras 2's form. */
function keras2Value(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(keras2Value);
  if (!isObject(value)) return value;
  if (typeof value.class_name === "string" && "config" in value) {
    if (value.class_name === "function" && typeof value.config === "string") return value.config;
    const config = isObject(value.config) ? keras2Config(value.class_name, value.config) : keras2Value(value.config);
    return { class_name: value.class_name, config };
  }
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, k === "dtype" ? keras2Dtype(v) : keras2Value(v)]),
  );
}

/** Model-level keys for the Keras 2 dialect: those read, with dtype policies flattened, minus `produced`. */
export function keras2ModelKeys(config: Json, produced: string[]): Json {
  const out: Json = {};
  for (const [k, v] of Object.entries(config)) {
    if (!produced.includes(k)) out[k] = k === "dtype" ? keras2Dtype(v) : keras2Value(v);
  }
  return out;
}
