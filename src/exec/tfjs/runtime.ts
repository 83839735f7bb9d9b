/**
 * The TensorFlow.js runtime kerasgraph runs on: the union package (it registers tfjs-core's gradients,
 * which training needs, and the chained tensor methods tfjs-layers calls) plus the WebAssembly backend,
 * whose .wasm files ship inside its npm package. `@tensorflow/tfjs-node` is not used: it downloads
 * libtensorflow at install time.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { TFJS_BACKENDS, type TfjsBackend } from "./backends.js";
import { installSegmentSum } from "./segment-sum-kernel.js";
import { installWasmFallbacks } from "./wasm-fallback.js";
import { installWasmMatMul } from "./wasm-matmul.js";
import { TrainingError } from "./errors.js";

export { tf };

export { TFJS_BACKENDS, type TfjsBackend } from "./backends.js";

/**
 * Makes `name` tfjs's active backend (initializing it on first use) and returns it. tfjs has one active
 * backend per process, so every model built afterwards runs on it.
 */
export async function useTfjsBackend(name: TfjsBackend = "wasm"): Promise<TfjsBackend> {
  if (!TFJS_BACKENDS.includes(name)) {
    throw new TrainingError(
      `unknown tfjs backend. Received: ${JSON.stringify(name)}; use one of ${TFJS_BACKENDS.join(", ")}.`,
    );
  }
  if (!(await tf.setBackend(name))) throw new Error(`tfjs could not initialize its '${name}' backend.`);
  await tf.ready();
  installSegmentSum();
  if (name === "wasm") {
    installWasmFallbacks();
    installWasmMatMul();
  }
  return name;
}
