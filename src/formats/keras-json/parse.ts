import { FormatError, LimitError } from "../../ir/errors.js";
import { checkJsonDepth } from "../limits.js";

export type Json = Record<string, unknown>;

/** The largest architecture text we parse (Keras configs of the biggest applications are ~2 MB). */
export const MAX_CONFIG_BYTES = 256 * 1024 * 1024;

export function isObject(v: unknown): v is Json {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * Parses a model's JSON text. Some files hold the JSON as a JSON string (`json.dump(model.to_json())`),
 * so a string result is parsed once more.
 */
export function parseJsonText(text: string, file?: string): unknown {
  if (text.length > MAX_CONFIG_BYTES) {
    throw new LimitError(`model config is ${text.length} characters, over the ${MAX_CONFIG_BYTES} limit.`, { file });
  }
  let value: unknown = text;
  for (let depth = 0; depth < 2 && typeof value === "string"; depth++) {
    try {
      value = JSON.parse(value as string);
    } catch (e) {
      const head = (value as string).slice(0, 40).replace(/\s+/g, " ");
      throw new FormatError(
        `not valid JSON (${(e as Error).message}). Received text starting: ${JSON.stringify(head)}`,
        {
          file,
          cause: e,
        },
      );
    }
  }
  return value;
}

/** A serialized model: its class, its config, and the keys around them (`module`, `keras_version`, ...). */
export interface ModelEnvelope {
  className: string;
  config: unknown;
  envelope: Json;
}

/**
 * Finds the model inside the shapes people store it in: `{"class_name", "config"}` (Keras's `to_json`),
 * tfjs's `{"model_config", "training_config"}` and `{"modelTopology": ...}`, or a `.keras` archive's
 * `config.json` (same as to_json).
 */
export function unwrapModel(value: unknown, file?: string): ModelEnvelope {
  checkJsonDepth(value, "the model config", file); // every reader walks configs recursively
  let v = value;
  for (let i = 0; i < 4 && isObject(v); i++) {
    if ("modelTopology" in v) v = v.modelTopology;
    else if ("model_config" in v && !("class_name" in v)) v = v.model_config;
    else break;
  }
  if (!isObject(v) || typeof v.class_name !== "string" || !("config" in v)) {
    const got = isObject(v)
      ? `an object with keys ${Object.keys(v).slice(0, 8).join(", ")}`
      : JSON.stringify(v)?.slice(0, 60);
    throw new FormatError(`expected a Keras model config ({"class_name": ..., "config": ...}). Received: ${got}`, {
      file,
    });
  }
  const { class_name, config, ...envelope } = v;
  return { className: class_name, config, envelope };
}
