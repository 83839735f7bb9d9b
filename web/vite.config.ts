import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * The viewer's bundle (dist-web/): the page plus the readers, ONNX writer, plot and summary of src/,
 * with every wasm inside it (no CDN). Aliases let src/ run unchanged in the page:
 * - onnxruntime-node → onnxruntime-web's wasm build: both are onnxruntime-common's API, so
 *   src/exec/ort (sessions, extract) serves the page as it serves the CLI;
 * - h5wasm/node → h5wasm's ESM build (wasm inlined, in-memory file system);
 * - node:* → shims/node-builtins.ts (file-system halves of the readers, never called in the page).
 */
export default defineConfig({
  root: here("."),
  base: "./",
  logLevel: "warn",
  resolve: {
    alias: [
      { find: /^onnxruntime-node$/, replacement: "onnxruntime-web/wasm" },
      { find: /^h5wasm\/node$/, replacement: "h5wasm" },
      { find: /^node:.*$/, replacement: here("shims/node-builtins.ts") },
    ],
  },
  build: {
    outDir: here("../dist-web"),
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 8192,
    reportCompressedSize: false,
    sourcemap: false,
  },
});
