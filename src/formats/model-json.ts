import { FormatError } from "../ir/errors.js";
import { checkJsonDepth } from "./limits.js";

/**
 * Parses a JSON model file. Some tools save `json.dumps(model.to_json())`: a JSON string holding the JSON,
 * which is parsed a second time. Syntax errors become FormatError naming the file.
 */
export function parseModelJson(text: string, file?: string): unknown {
  let value = parseOnce(text, file);
  if (typeof value === "string" && /^\s*[{[]/.test(value)) value = parseOnce(value, file);
  checkJsonDepth(value, "the JSON", file);
  return value;
}

function parseOnce(text: string, file?: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const near = text.slice(0, 60).replace(/\s+/g, " ");
    throw new FormatError(`not valid JSON (${(e as Error).message}). Received: ${JSON.stringify(near)}...`, {
      file,
      cause: e,
    });
  }
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
