/**
 * `kerasgraph/tfjs`: Keras models on TensorFlow.js — prediction, and training with Keras's semantics.
 * A subpath of its own, so that importing kerasgraph does not load TensorFlow.js.
 */
export { TfjsModel, type TfjsModelOptions } from "./model.js";
export { buildTfjsModel } from "./build.js";
export { tf, useTfjsBackend, TFJS_BACKENDS, type TfjsBackend } from "./runtime.js";
export { TrainingError } from "./errors.js";
export type { CompileArgs } from "./train/compile.js";
export type { FitArgs } from "./train/fit.js";
export type { ArrayInput } from "./train/data.js";
export { History, type Callback, type Logs } from "./train/callbacks.js";
export { Adagrad, Adam, AdamW, Adamax, KerasOptimizer, RMSprop, SGD, getOptimizer } from "./optimizers/index.js";
export { writeTfjsModel, type WriteTfjsOptions } from "../../formats/tfjs/write.js";
export { readTfjsModel } from "../../formats/tfjs/read.js";
export { tfjsGaps, type TfjsGap } from "../../formats/tfjs/tfjs-support.js";
