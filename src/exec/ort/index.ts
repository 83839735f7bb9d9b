export { OrtModel, extractFeatures, loadModel, type LoadOptions } from "./model.js";
export { OrtSession, type Inputs, type SessionOptions } from "./session.js";
export { type InputSpec } from "./tensors.js";
