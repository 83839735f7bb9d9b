/** The tfjs backends kerasgraph selects: WebAssembly (XNNPACK kernels, the default) or plain JavaScript. */
export type TfjsBackend = "wasm" | "cpu";

/** Kept apart from runtime.ts so that the CLI can list them without loading TensorFlow.js. */
export const TFJS_BACKENDS: readonly TfjsBackend[] = ["wasm", "cpu"];
