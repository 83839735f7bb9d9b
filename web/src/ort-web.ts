import * as ort from "onnxruntime-web/wasm";
import wasmUrl from "onnxruntime-web/ort-wasm-simd-threaded.wasm?url";

/**
 * onnxruntime-web, set to the wasm file bundled in dist-web (no CDN) and to one thread: a threaded
 * build would need cross-origin isolation (SharedArrayBuffer), which a plain localhost page lacks.
 * src/exec/ort imports "onnxruntime-node", which vite.config.ts aliases to this same module.
 */
export function configureOrt(): void {
  ort.env.wasm.wasmPaths = { wasm: new URL(wasmUrl, document.baseURI).href };
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
}
