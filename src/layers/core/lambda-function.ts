import { UnsupportedLayerError } from "../../ir/errors.js";
import type { Layer } from "../../ir/graph.js";

/**
 * What a Lambda layer's config says its function is, read as data: kerasgraph never executes the
 * Python bytecode a Lambda carries (`marshal` of the function's code, base64: Keras's own loader runs it
 * unless safe_mode, CVE-2024-3660) and never imports the module a function reference names.
 */
export interface LambdaFunction {
  kind: "bytecode" | "reference" | "missing";
  /** "Python bytecode (marshal, 156 bytes)", "the Python function __main__.scale", ... */
  text: string;
}

/**
 * Describes `config.function` in both dialects: Keras 3 `{"class_name": "__lambda__", "config": {"code"}}`
 * or a serialized function `{"module", "class_name": "function", "config": name}`; tf.keras 2
 * `function: [code, defaults, closure]` with `function_type: "lambda"`, or a name with `module`.
 */
export function describeLambdaFunction(config: Record<string, unknown>, key = "function"): LambdaFunction {
  const fn = config[key];
  const typeKey = `${key}_type`;
  const code = isLambdaRecord(fn)
    ? fn.config.code
    : Array.isArray(fn) && config[typeKey] === "lambda"
      ? fn[0]
      : undefined;
  if (typeof code === "string") {
    return { kind: "bytecode", text: `Python bytecode (marshal, ${base64Bytes(code)} bytes)` };
  }
  if (isRecord(fn) && typeof fn.config === "string") {
    return { kind: "reference", text: `the Python function ${qualifiedName(fn.module, fn.config)}` };
  }
  if (typeof fn === "string") {
    const module = key === "function" ? config.module : config[`${key}_module`];
    return { kind: "reference", text: `the Python function ${qualifiedName(module, fn)}` };
  }
  return { kind: "missing", text: "no function kerasgraph can describe" };
}

/** True for a layer whose function is Python code (a Lambda), which no executor of kerasgraph can run. */
export function isLambdaLayer(layer: Layer): boolean {
  return layer.className === "Lambda";
}

/**
 * The error an executor (ONNX export, tfjs) raises for a Lambda layer: it names the layer, what its
 * function is, and why kerasgraph will not run it; `lead` and `remedy` are the executor's own words.
 */
export function lambdaRefusal(
  layer: Layer,
  where: string,
  engine: string,
  words: { lead?: string; remedy?: string } = {},
): UnsupportedLayerError {
  const fn = describeLambdaFunction(layer.config);
  return new UnsupportedLayerError(
    "Lambda",
    `${words.lead ?? ""}layer ${where} is a Lambda layer whose function is ${fn.text}. kerasgraph reads, summarizes ` +
      `and draws Lambda layers but never executes their Python code or imports their modules, so ${engine} cannot ` +
      `run it. Received: class_name "Lambda". ${words.remedy ?? "Replace the Lambda with a built-in layer, or register a custom layer kind for what it computes."}`,
  );
}

function isLambdaRecord(v: unknown): v is { config: { code: unknown } } {
  return isRecord(v) && v.class_name === "__lambda__" && isRecord(v.config);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function qualifiedName(module: unknown, name: string): string {
  return typeof module === "string" && module ? `${module}.${name}` : name;
}

/** Bytes encoded by a base64 text (line breaks and padding aside), without decoding it. */
function base64Bytes(text: string): number {
  const clean = text.replace(/[^A-Za-z0-9+/]/g, "");
  return Math.floor((clean.length * 3) / 4);
}
