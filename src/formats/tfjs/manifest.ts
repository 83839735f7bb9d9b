import { FormatError } from "../../ir/errors.js";
import { isRecord } from "../model-json.js";

/** One entry of a `weightsManifest` group: a variable's name, shape, dtype and optional quantization. */
export interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: "float32" | "int32" | "bool" | "string" | "complex64";
  /** The converter's quantization: values stored as uint8/uint16 (affine) or float16. */
  quantization?: { dtype: "uint8" | "uint16" | "float16"; scale?: number; min?: number; original_dtype?: string };
}

/** A `weightsManifest` group: shard files (relative to model.json) that hold its weights back to back. */
export interface ManifestGroup {
  paths: string[];
  weights: ManifestWeight[];
}

/** The layers-model `model.json`: `{format, generatedBy, convertedBy, modelTopology, weightsManifest}`. */
export interface LayersModelJson {
  format: "layers-model";
  generatedBy: string;
  convertedBy: string | null;
  modelTopology: unknown;
  weightsManifest: ManifestGroup[];
}

/** Bytes per stored element of a manifest weight (after quantization). */
export function storedBytes(w: ManifestWeight): number {
  const q = w.quantization?.dtype;
  if (q === "uint8") return 1;
  if (q === "uint16" || q === "float16") return 2;
  if (w.dtype === "bool") return 1;
  if (w.dtype === "complex64") return 8;
  return 4;
}

/** Reads and checks `weightsManifest`; errors name the file and the entry. */
export function parseManifest(json: unknown, file?: string): ManifestGroup[] {
  const manifest = isRecord(json) ? json.weightsManifest : undefined;
  if (manifest === undefined || manifest === null) return [];
  const fail = (msg: string): never => {
    throw new FormatError(`weightsManifest ${msg}`, { file });
  };
  if (!Array.isArray(manifest)) fail(`must be a list of groups. Received: ${typeof manifest}`);
  return (manifest as unknown[]).map((g, i) => {
    if (!isRecord(g) || !Array.isArray(g.paths) || !Array.isArray(g.weights)) {
      return fail(`group ${i} needs "paths" and "weights" lists. Received: ${JSON.stringify(g)?.slice(0, 80)}`);
    }
    const weights = g.weights.map((w, j) => {
      if (!isRecord(w) || typeof w.name !== "string" || !Array.isArray(w.shape) || typeof w.dtype !== "string") {
        return fail(
          `group ${i} weight ${j} needs "name", "shape" and "dtype". Received: ${JSON.stringify(w)?.slice(0, 80)}`,
        );
      }
      if (w.dtype === "string")
        fail(`weight '${w.name}' holds strings, which kerasgraph does not read. Received: dtype "string"`);
      return w as unknown as ManifestWeight;
    });
    return { paths: g.paths.map(String), weights };
  });
}
