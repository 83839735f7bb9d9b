/**
 * kerasgraph's public API: the graph IR, the readers and writers, the summary, and the layer catalog
 * (imported here so that every built-in Keras layer kind is registered).
 */
import "./layers/index.js";

export { Call, Graph, Layer, Tensor, forEachTensor, mapArgTree } from "./ir/graph.js";
export type { ArgTree, DType, IOStructure, LayerMeta, TensorSpec, WeightSpec } from "./ir/graph.js";
export {
  FormatError,
  GraphError,
  KerasGraphError,
  LimitError,
  ShapeError,
  UnsupportedLayerError,
} from "./ir/errors.js";
export { formatShape, shapeSize, shapesEqual } from "./ir/shape.js";
export type { Dim, Shape } from "./ir/shape.js";
export type { CallContext, InnerResult, KindResolver, LayerKind, WeightDecl } from "./ir/kind.js";
export { LayerConfig } from "./ir/config.js";
export { callLayer, evaluateGraph } from "./ir/build.js";
export { topologicalCalls } from "./ir/topo.js";
export { validateGraph } from "./ir/validate.js";
export { cutSubmodel } from "./ir/submodel.js";

export { LayerRegistry, defaultRegistry, defineLayer, registerLayerKind } from "./layers/index.js";

export { readKerasJson } from "./formats/keras-json/read.js";
export type { ReadOptions } from "./formats/keras-json/read.js";
export { writeKerasJson } from "./formats/keras-json/write.js";
export { detectFormat } from "./formats/detect.js";
export type { ModelFormat } from "./formats/detect.js";
export { openModel } from "./formats/open.js";
export type { OpenOptions, OpenedModel } from "./formats/open.js";
export { readModelBytes } from "./formats/read-bytes.js";
export type { BytesModel, ReadBytesOptions } from "./formats/read-bytes.js";
// Safety limits on what a file may declare (LimitError past them), and the HDF5 C library's opt-in.
export { allowHdf5Library, readLimits, setReadLimits } from "./formats/limits.js";
export type { ReadLimits } from "./formats/limits.js";
export { describeLambdaFunction } from "./layers/core/lambda-function.js";

export { summaryJson, summaryText } from "./tools/summary/index.js";

export { modelToDot, plotModel } from "./tools/plot/index.js";
export type { DotOptions, PlotFormat, PlotOptions } from "./tools/plot/index.js";
export { savePlot } from "./tools/plot/save-plot.js";
export { activationGrid, activationPng } from "./tools/heatmap/index.js";
export type { HeatmapOptions, RgbImage } from "./tools/heatmap/index.js";

// The Keras Functional API in TypeScript (src/api): Input, layers, Model, custom layers, configs, saving.
export * from "./api/index.js";

// ONNX export and onnxruntime execution (src/formats/onnx, src/exec/ort) and NumPy .npy files.
export {
  exportOnnx,
  toOnnx,
  writeOnnxFile,
  registerEmitter,
  EmitterRegistry,
  defaultEmitters,
} from "./formats/onnx/index.js";
export {
  checkOnnxModel,
  decodeOnnxModel,
  encodeOnnxModel,
  DEFAULT_OPSET,
  MIN_OPSET,
  MAX_OPSET,
} from "./formats/onnx/index.js";
export type { OnnxExport, OnnxModel, ToOnnxOptions, ExposedOutput } from "./formats/onnx/index.js";

// ONNX import: .onnx files as Keras layers (src/formats/onnx/import); openModel uses it for .onnx.
export { importOnnxBytes, importOnnxGraph, defaultMappers as onnxImportMappers } from "./formats/onnx/import/index.js";
export type {
  ImportOptions as OnnxImportOptions,
  Imported as OnnxImported,
  Mapper as OnnxImportMapper,
} from "./formats/onnx/import/index.js";
export { OrtModel, OrtSession, extractFeatures, loadModel as loadOrtModel } from "./exec/ort/index.js";
export type { Inputs, LoadOptions, SessionOptions } from "./exec/ort/index.js";
export { formatNpy, parseNpy, readNpyFile, writeNpyFile } from "./formats/npy/index.js";

// Saved models with weights (src/formats/keras-zip, src/formats/h5, src/formats/hdf5): .keras archives and
// legacy .h5 files, read (openModel) and written, weights as typed arrays on the layers.
export { saveModel as saveGraph, formatForPath, SAVE_FORMATS } from "./formats/save.js";
export type { SaveFormat, SaveOptions } from "./formats/save.js";
export { readKerasArchive } from "./formats/keras-zip/read.js";
export { writeKerasArchive } from "./formats/keras-zip/write.js";
export { writeKerasWeightsFile } from "./formats/keras-zip/weights-write.js";
export type { WriteKerasWeightsOptions } from "./formats/keras-zip/weights-write.js";
export { readShardedKerasWeights } from "./formats/keras-zip/sharded-read.js";
export { readH5Model, readH5WeightsInto } from "./formats/h5/read.js";
export { writeH5Model, writeH5Weights } from "./formats/h5/write.js";
export { attachWeightsFile } from "./formats/weights-file.js";
export { WeightData } from "./ir/weights.js";
export type { OptimizerState, OptimizerVariable, TypedArray } from "./ir/weights.js";
