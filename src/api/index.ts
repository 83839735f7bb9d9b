/**
 * The Keras Functional API in TypeScript: `Input`, the `layers` factories, `Model`, custom layers,
 * configs, saving and prediction, with Keras's names and Keras's results.
 */
export { Input, type InputOptions } from "./input.js";
export { KerasTensor, type SymbolicInput } from "./keras-tensor.js";
export { Layer as KerasLayer, type LayerOptions } from "./layer.js";
export { layers, type LayerFactory } from "./layers/index.js";
export { BuiltinLayer } from "./layers/builtin.js";
export { Model, type ModelArgs } from "./model.js";
export { cloneModel, loadModel, saveModel, saveWeights } from "./saving.js";
export type { CompileArgs, FitArgs, History, Logs, TrainingArgs } from "./training.js";
export { registerLayer } from "./custom/register.js";
export type { LayerClass } from "./custom/kind.js";
export { Weight } from "./custom/weight.js";
export { KerasSession, clearSession, currentSession, defaultSession } from "./session.js";
export { ndarray } from "../formats/npy/array.js";
export type { NdArray } from "../formats/npy/array.js";
export type { EmitContext, Emitter } from "../formats/onnx/emitter.js";
export { attr as onnxAttr } from "../formats/onnx/builder.js";
