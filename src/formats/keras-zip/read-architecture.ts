import { strFromU8, unzipSync } from "fflate";
import { FormatError } from "../../ir/errors.js";
import type { Architecture } from "../architecture.js";

/**
 * The architecture in a Keras 3 `.keras` archive (`saving_lib.save_model`): `config.json` is the
 * model's serialized config, `metadata.json` holds `keras_version`. `model.weights.h5` is not read here.
 */
export function readKerasZipArchitecture(bytes: Uint8Array, file?: string): Architecture {
  let files: Record<string, Uint8Array>;
  const names: string[] = [];
  try {
    files = unzipSync(bytes, {
      filter: (f) => names.push(f.name) > 0 && (f.name === "config.json" || f.name === "metadata.json"),
    });
  } catch (e) {
    throw new FormatError(`is not a readable .keras (zip) archive. Received: ${(e as Error).message}`, {
      file,
      cause: e,
    });
  }
  const config = files["config.json"];
  if (!config) {
    throw new FormatError(`.keras archive has no config.json. Received entries: ${names.join(", ") || "none"}`, {
      file,
    });
  }
  const modelConfig = parseEntry(config, "config.json", file);
  const metadata = files["metadata.json"] ? parseEntry(files["metadata.json"], "metadata.json", file) : {};
  const version = (metadata as Record<string, unknown> | null)?.keras_version;
  return { modelConfig, ...(typeof version === "string" ? { kerasVersion: version } : {}) };
}

function parseEntry(data: Uint8Array, entry: string, file?: string): unknown {
  const text = strFromU8(data);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new FormatError(`${entry} in the .keras archive is not valid JSON (${(e as Error).message}).`, {
      file,
      cause: e,
    });
  }
}
