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
