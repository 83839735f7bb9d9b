import { isObject, type Json } from "./parse.js";

/** Config keys holding a whole serialized layer (wrappers, RNN cells), which Keras 3 deserializes by module. */
const NESTED_LAYER_KEYS = new Set(["layer", "forward_layer", "backward_layer", "cell"]);

const ACTIVATION_KEYS = new Set(["activation", "recurrent_activation"]);

/** Classes whose Keras 3 constructor takes `int(axis)`, where tf.keras 2 wrote a one-element list. */
const INT_AXIS = new Set(["BatchNormalization", "SyncBatchNormalization"]);

/**
 * A layer config in the form Keras 3's `serialization_lib` reads. Keras 3 configs pass through unchanged;
 * what tf.keras 2 (and Keras 2.13–2.15 inside nested models) wrote is rewritten the way Keras 3's own
 * legacy loader (`saving_utils.model_from_config`) does on the fly, and where that loader fails:
 * - `batch_input_shape` becomes `batch_shape` on an InputLayer, and `input_shape` without the batch
 *   dimension on any other layer (the legacy loader keeps the batch dimension there, which makes
 *   Keras 3 build a Sequential's input one rank too high; the model's InputLayer keeps the batch size);
 * - for a layer read without `module` (`legacy`), BatchNormalization's one-element `axis` list (tf.keras 2
 *   wrote `[3]`) becomes the integer Keras 3 requires (LayerNormalization and others keep their lists,
 *   as Keras 3 writes them too);
 * - a Keras 2 `Policy` dtype object becomes a Keras 3 `DTypePolicy`;
 * - `time_major: false` (Keras 2's default; Keras 3 has no such argument) is dropped;
 * - a GRU written before `reset_after` existed (or by tfjs-layers, which lacks it) gets `reset_after: false`;
 * - an activation given as a layer object (`{"class_name": "ReLU", ...}`) becomes the equivalent
 *   activation name where one exists;
 * - a nested layer (`layer`, `forward_layer`, `backward_layer`, `cell`, `cells`) gets Keras 3's
 *   `module`/`registered_name` and the same rewriting.
 * Every other key is kept as it is.
 */
export function keras3LayerConfig(className: string, config: Json, legacy: boolean): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === "batch_input_shape" && Array.isArray(value)) {
      if (className === "InputLayer") out.batch_shape = value;
      else out.input_shape = value.slice(1);
    } else if (legacy && INT_AXIS.has(className) && key === "axis" && Array.isArray(value) && value.length === 1) {
      out.axis = value[0];
    } else if (key === "dtype") {
      out.dtype = keras3Dtype(value);
    } else if (key === "time_major" && value === false) {
      continue;
    } else if (ACTIVATION_KEYS.has(key) && isObject(value) && !("module" in value)) {
      out[key] = activationName(value) ?? value;
    } else if (NESTED_LAYER_KEYS.has(key) && isSerializedLayer(value)) {
      out[key] = keras3NestedLayer(value);
    } else if (key === "cells" && Array.isArray(value)) {
      out.cells = value.map((c) => (isSerializedLayer(c) ? keras3NestedLayer(c) : c));
    } else {
      out[key] = value;
    }
  }
  if (gruBeforeReset(className, config)) out.reset_after = false;
  return out;
}

/**
 * A GRU (or GRUCell) config without `reset_after` that computes the Keras < 2.1.3 / tfjs-layers way (see
 * `gruResetAfter`): written with `reset_after: false`, since Keras 2.3+ and 3 default it to True and would
 * build a `(2, 3*units)` bias for the file's `(3*units,)` one.
 */
export function gruBeforeReset(className: string, config: Json): boolean {
  return (className === "GRU" || className === "GRUCell") && !("reset_after" in config) && "implementation" in config;
}

function isSerializedLayer(v: unknown): v is Json {
  return isObject(v) && typeof v.class_name === "string" && isObject(v.config);
}

function keras3NestedLayer(v: Json): Json {
  const legacy = !("module" in v);
  const { module, class_name, config, registered_name, ...rest } = v;
  return {
    module: legacy ? "keras.layers" : module,
    class_name,
    config: keras3LayerConfig(class_name as string, config as Json, legacy),
    registered_name: legacy ? null : registered_name,
    ...rest,
  };
}

/** Keras 2's `{"class_name": "Policy", "config": {"name": ...}}` as Keras 3's DTypePolicy; strings unchanged. */
export function keras3Dtype(dtype: unknown): unknown {
  if (!isObject(dtype) || "module" in dtype) return dtype;
  const cfg = isObject(dtype.config) ? dtype.config : {};
  if (typeof cfg.name !== "string") return dtype;
  return { module: "keras", class_name: "DTypePolicy", config: { name: cfg.name }, registered_name: null };
}

/**
 * The Keras 3 activation name equal to a Keras 2 activation given as a layer object, or null when no
 * name computes the same function (Keras 3's `activations.get` takes no layer objects).
 */
function activationName(v: Json): string | null {
  const c = isObject(v.config) ? v.config : {};
  const is = (key: string, want: unknown, dflt: unknown) => (c[key] ?? dflt) === want;
  switch (v.class_name) {
    case "Activation":
      return typeof c.activation === "string" ? c.activation : null;
    case "ReLU":
      if (!is("negative_slope", 0, 0) || !is("threshold", 0, 0)) return null;
      if (c.max_value === null || c.max_value === undefined) return "relu";
      return c.max_value === 6 ? "relu6" : null;
    case "LeakyReLU":
      return (c.negative_slope ?? c.alpha ?? 0.3) === 0.2 ? "leaky_relu" : null;
    case "ELU":
      return is("alpha", 1, 1) ? "elu" : null;
    case "Softmax":
      return is("axis", -1, -1) ? "softmax" : null;
    default:
      return null;
  }
}
