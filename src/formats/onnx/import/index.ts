/** ONNX import: foreign ONNX graphs (and kerasgraph's own exports) as Keras layers. */
export { importOnnxBytes, importOnnxGraph, importPasses } from "./import.js";
export type { ImportOptions, ImportPass, Imported } from "./import.js";
export { readOnnxBytes, readTensorProto } from "./read-model.js";
export type { ReadOnnx } from "./read-model.js";
export { defaultMappers } from "./mappers/index.js";
export type { LayerSpec, Mapper, WeightValues } from "./mappers/context.js";
export { MapContext } from "./mappers/context.js";
export { ImportGraph } from "./graph.js";
export { withKerasMetadata, kerasMetadata } from "../keras-metadata.js";
