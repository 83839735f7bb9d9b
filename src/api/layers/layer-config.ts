import { FormatError, UnsupportedLayerError } from "../../ir/errors.js";
import type { LayerKind } from "../../ir/kind.js";
import { defaultRegistry } from "../../layers/registry.js";
import { serializeActivation } from "../serialize/activations.js";
import { constraints } from "../serialize/constraints.js";
import { serializeDtypePolicy } from "../serialize/dtype-policy.js";
import { initializers } from "../serialize/initializers.js";
import { camelToSnake } from "../serialize/keras-object.js";
import { regularizers } from "../serialize/regularizers.js";
import type { KerasSession } from "../session.js";
import { asTuple, configRule } from "./config-rules.js";
import { LAYER_SIGNATURES, type LayerSignature } from "./signatures.js";

type Config = Record<string, unknown>;

/** Arguments every Keras layer takes besides its own (`Layer.__init__`). */
const BASE_KEYS = new Set(["name", "trainable", "dtype"]);

/**
 * Classes whose `get_config` writes `activity_regularizer` even when it is None; every other layer
 * leaves it to the base `Layer.get_config`, which writes it only when set.
 */
const WRITES_ACTIVITY_REGULARIZER =
  /^(Conv[123]D(Transpose)?|DepthwiseConv[12]D|SeparableConv[12]D|ConvLSTM[123]D|SimpleRNN|LSTM|GRU|EinsumDense|Embedding|ReversibleEmbedding|TernaryDense|MultiHeadAttention|GroupedQueryAttention)$/;

/** Keys `get_config` writes only when they are set. */
const WRITTEN_WHEN_SET = new Set(["bounding_box_format", "lora_rank", "lora_alpha"]);

/** Keys Keras turns into a tuple of the layer's rank (`standardize_tuple`). */
const TUPLE_KEYS = new Set(["kernel_size", "strides", "dilation_rate", "size", "output_padding"]);

export interface LayerConfigResult {
  kind: LayerKind;
  name: string;
  /** Keras 3's full `get_config()` for the layer. */
  config: Config;
}

/** The spatial rank a class name carries (`Conv2D` → 2), or null. */
/** Keras's positional parameters of a class (none for classes Keras 3 no longer has). */
export function signatureOf(className: string): LayerSignature {
  return (LAYER_SIGNATURES as Record<string, LayerSignature>)[className] ?? { params: [], required: 0 };
}

function classRank(className: string): number | null {
  const m = /([123])D/.exec(className);
  return m ? Number(m[1]) : null;
}

function isPlainObject(v: unknown): v is Config {
  return v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * Splits a factory's arguments Python-style: positional values in the order of Keras's `__init__`,
 * then a trailing options object (camelCase or snake_case keys). Throws on too many positional
 * arguments, an argument given twice, an unknown argument or a missing required one.
 */
export function bindArguments(kind: LayerKind, args: unknown[], where: string): Map<string, unknown> {
  const sig = signatureOf(kind.className);
  const positional = args.length > 0 && isPlainObject(args.at(-1)) ? args.slice(0, -1) : args;
  const options = positional.length < args.length ? (args.at(-1) as Config) : {};
  if (positional.length > sig.params.length) {
    throw new FormatError(
      `${where} takes at most ${sig.params.length} positional argument(s) (${sig.params.join(", ") || "none"}). ` +
        `Received: ${positional.length}`,
    );
  }
  const given = new Map<string, unknown>();
  positional.forEach((v, i) => given.set(sig.params[i]!, v));
  const known = new Set([...BASE_KEYS, ...sig.params, ...Object.keys(kind.defaults)]);
  for (const [key, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const k = camelToSnake(key);
    if (given.has(k)) throw new FormatError(`${where} got multiple values for argument '${k}'.`);
    if (!known.has(k)) {
      throw new FormatError(
        `${where} got an unexpected argument '${key}'. It takes: ${[...known].filter((x) => x !== "name").join(", ")}, name.`,
      );
    }
    given.set(k, value);
  }
  for (const p of sig.params.slice(0, sig.required)) {
    if (!given.has(p)) throw new FormatError(`${where} is missing its required argument '${p}'.`);
  }
  return given;
}

/**
 * Keras 3's `get_config()` of a built-in layer made with these arguments: `name`, `trainable`,
 * `dtype` (a DTypePolicy), then each argument Keras writes, with the kind's Keras defaults for those
 * not given, serialized as Keras does (initializers, regularizers and constraints as objects,
 * activations by name, tuples standardized, `data_format` resolved). `nested` serializes a layer
 * given as an argument (TimeDistributed's `layer`).
 */
export function buildLayerConfig(
  className: string,
  args: unknown[],
  session: KerasSession,
  nested: (value: unknown) => unknown,
): LayerConfigResult {
  const kind = defaultRegistry.get(className);
  if (!kind || kind.className === "InputLayer") {
    throw new UnsupportedLayerError(className, `layers.${className} is not a Keras layer kerasgraph knows.`);
  }
  const cls = kind.className;
  const where = `layers.${cls}()`;
  const given = bindArguments(kind, args, where);
  const name = given.has("name") ? String(given.get("name")) : session.autoName(cls);
  const named = `${cls} '${name}'`;
  const config: Config = {
    name,
    trainable: given.get("trainable") ?? true,
    dtype: serializeDtypePolicy(given.get("dtype"), session.floatx, named),
  };
  const sig = signatureOf(cls);
  const keys = [...sig.params.slice(0, sig.required), ...Object.keys(kind.defaults), ...given.keys()];
  const rank = classRank(cls);
  for (const key of new Set(keys)) {
    if (BASE_KEYS.has(key)) continue;
    const value = given.has(key) ? given.get(key) : kind.defaults[key];
    if (value === undefined) continue;
    if (value === null && key === "activity_regularizer" && !WRITES_ACTIVITY_REGULARIZER.test(cls)) continue;
    if (value === null && WRITTEN_WHEN_SET.has(key)) continue;
    config[key] = serializeValue(cls, key, value, rank, `${named} ${key}`, nested);
  }
  configRule(cls)?.init?.(config, rank);
  return { kind, name, config };
}

function serializeValue(
  cls: string,
  key: string,
  value: unknown,
  rank: number | null,
  where: string,
  nested: (value: unknown) => unknown,
): unknown {
  const layer = nested(value);
  if (layer !== undefined) return layer;
  if (key.endsWith("_initializer")) return initializers.serialize(value, where);
  if (key.endsWith("_regularizer")) return value === null ? null : regularizers.serialize(value, where);
  if (key.endsWith("_constraint")) return value === null ? null : constraints.serialize(value, where);
  if (key === "activation" || key === "recurrent_activation") return serializeActivation(value, where);
  if (key === "data_format" && value === null) return "channels_last";
  if (key === "padding" && typeof value === "string") return value.toLowerCase();
  if (TUPLE_KEYS.has(key) && rank !== null && value !== null && !(key === "size" && rank === 1))
    return asTuple(value, rank);
  return Array.isArray(value) ? structuredClone(value) : value;
}
