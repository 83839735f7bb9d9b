import { FormatError } from "../ir/errors.js";
import { zipDirectory } from "./keras-zip/zip-safety.js";
import { isRecord, parseModelJson } from "./model-json.js";
import { looksLikeOnnxModel } from "./onnx/sniff.js";

/** How a model is stored; `keras-dir` is a Keras model folder (`model.save(path, zipped=False)`). */
export type ModelFormat = "keras-zip" | "keras-dir" | "h5" | "tfjs" | "keras-json" | "onnx";

/** A detected format; JSON formats carry the parsed JSON so it is not parsed twice. */
export interface Sniffed {
  /** A file's format: a folder is never sniffed. */
  format: Exclude<ModelFormat, "keras-dir">;
  json?: unknown;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const HDF5_MAGIC = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * The format of a model file, by content only (a `.keras` name may hold HDF5). Throws FormatError naming
 * the file and its first bytes when nothing matches.
 */
export function detectFormat(bytes: Uint8Array, path?: string): ModelFormat {
  return sniffModel(bytes, path).format;
}

export function sniffModel(bytes: Uint8Array, path?: string): Sniffed {
  if (bytes.length === 0)
    throw new FormatError("the file is empty; expected a Keras, TF.js or ONNX model.", { file: path });
  if (startsWith(bytes, ZIP_MAGIC, 0)) {
    if (zipHasConfig(bytes, path)) return { format: "keras-zip" };
    throw new FormatError("is a zip archive without config.json, so not a Keras 3 .keras file.", { file: path });
  }
  if (isHdf5(bytes)) return { format: "h5" };
  const first = bytes.find(
    (b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf,
  );
  if (first === 0x7b /* { */ || first === 0x22 /* " */) {
    const json = parseModelJson(new TextDecoder().decode(bytes), path);
    return { format: jsonFormat(json, path), json };
  }
  if (looksLikeOnnxModel(bytes)) return { format: "onnx" };
  throw new FormatError(
    "is not a model file kerasgraph knows (a .keras zip, an HDF5 .h5, Keras or TF.js JSON, or ONNX). " +
      `Received: first bytes ${firstBytes(bytes)}`,
    { file: path },
  );
}

function jsonFormat(json: unknown, path?: string): Sniffed["format"] {
  if (isRecord(json)) {
    if (json.format === "graph-model") {
      throw new FormatError(
        "is a TF.js graph model (a TensorFlow graph), not a Keras layers model; only layers models can be read.",
        { file: path },
      );
    }
    if ("modelTopology" in json || json.format === "layers-model") return "tfjs";
    if ("model_config" in json || ("class_name" in json && "config" in json)) return "keras-json";
    if ("weight_map" in json) {
      throw new FormatError(
        "is a Keras sharded weights manifest (save_weights with max_shard_size): weights without an architecture. " +
          "Open the model's architecture (.keras, .json) with this file as its weights (--weights, or weightsFile).",
        { file: path },
      );
    }
  }
  const got = isRecord(json) ? `an object with keys ${Object.keys(json).slice(0, 8).join(", ")}` : typeof json;
  throw new FormatError(
    `is JSON but not a Keras model: expected "class_name" and "config" (model.to_json()), "model_config", or ` +
      `TF.js "modelTopology". Received: ${got}`,
    { file: path },
  );
}

/** HDF5's superblock signature sits at offset 0, 512, 1024, 2048, ... (a user block may precede it). */
export function isHdf5(bytes: Uint8Array): boolean {
  for (let offset = 0; offset + HDF5_MAGIC.length <= bytes.length; offset = offset === 0 ? 512 : offset * 2) {
    if (startsWith(bytes, HDF5_MAGIC, offset)) return true;
  }
  return false;
}

function zipHasConfig(bytes: Uint8Array, path?: string): boolean {
  // The directory walked within the bytes (fflate would loop over whatever count the record claims).
  return zipDirectory(bytes, path).some((e) => e.name === "config.json");
}

function startsWith(bytes: Uint8Array, magic: number[], offset: number): boolean {
  return magic.every((b, i) => bytes[offset + i] === b);
}

/** The first 16 bytes as hex and printable text, for messages about a file that is not what it should be. */
export function firstBytes(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 16);
  const hex = [...head].map((b) => b.toString(16).padStart(2, "0")).join(" ");
  const text = [...head].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : ".")).join("");
  return `${hex} (${JSON.stringify(text)})`;
}
