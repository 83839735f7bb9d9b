/** kerasgraph's ONNX writer: Keras graph → ONNX model (emitters per layer class, layout pass), protobuf I/O. */
export { DEFAULT_OPSET, MAX_OPSET, MIN_OPSET, exportOnnx, toOnnx } from "./convert.js";
export type { ExposedOutput, OnnxExport, ToOnnxOptions } from "./convert.js";
export { EmitterRegistry, defaultEmitters, registerEmitter } from "./emitter.js";
export type { EmitContext, Emitter, Val } from "./emitter.js";
export { OnnxBuilder, attr } from "./builder.js";
export { emitActivation } from "./activation.js";
export { decodeOnnxModel, encodeOnnxModel } from "./proto.js";
export { checkOnnxModel } from "./check/check.js";
export { passes, optimizeOnnxGraph } from "./passes/index.js";
export { writeOnnxFile } from "./write.js";
export type { OnnxGraph, OnnxModel, OnnxNode, OnnxTensor, OnnxValueInfo } from "./model.js";
