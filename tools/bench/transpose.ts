/**
 * Micro benchmark of `transposeData` on ResNet50's conv kernels: (H, W, I, O) → (O, I, H, W) as the
 * ONNX exporter lays them out, the inverse (O, I, H, W) → (H, W, I, O) as the importer restores them,
 * and the matrix transpose (I, O) → (O, I) of the same elements. Prints M elements/s for the JS loops
 * and for the WebAssembly kernel (copies into and out of its memory included), best of several runs.
 * Run: node --import tsx tools/bench/transpose.ts
 */
import { transposeData } from "../../src/formats/onnx/tensor-data.js";
import { setWasmTransposeEnabled, wasmTransposeAvailable } from "../../src/formats/onnx/wasm/transpose.js";

const KERNELS: [number, number, number, number][] = [
  [1, 1, 256, 64],
  [3, 3, 64, 64],
  [1, 1, 64, 256],
  [3, 3, 512, 512],
  [1, 1, 1024, 2048],
  [1, 1, 2048, 512],
  [7, 7, 3, 64],
  [3, 3, 256, 256],
  [1, 1, 512, 2048],
];

/** Best M elements/s of `f` over repeated runs of about 30 ms each, in about `budgetMs` in all. */
function rate(elements: number, f: () => void, budgetMs = 300): number {
  f();
  let reps = 1;
  for (let t = 0; t < 30; reps *= 2) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    t = performance.now() - t0;
  }
  let best = Infinity;
  for (const end = performance.now() + budgetMs; performance.now() < end; ) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) f();
    best = Math.min(best, (performance.now() - t0) / reps);
  }
  return elements / best / 1e3;
}

const cases = KERNELS.flatMap(([h, w, i, o]) => [
  { name: `HWIO→OIHW ${h}×${w}×${i}×${o}`, shape: [h, w, i, o], perm: [3, 2, 0, 1] },
  { name: `OIHW→HWIO ${o}×${i}×${h}×${w}`, shape: [o, i, h, w], perm: [2, 3, 1, 0] },
  { name: `(I,O)→(O,I) ${h * w * i}×${o}`, shape: [h * w * i, o], perm: [1, 0] },
]);

if (!wasmTransposeAvailable()) console.log("WebAssembly SIMD is not available here: both columns are the JS loops");
console.log("| transpose | JS M elem/s | wasm M elem/s | wasm / JS |");
console.log("|---|---:|---:|---:|");
const totals = { js: 0, wasm: 0, n: 0 };
for (const { name, shape, perm } of cases) {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: n }, (_, i) => i);
  const out = new Float32Array(n);
  const run = () => transposeData(data, shape, perm, out);
  setWasmTransposeEnabled(false);
  const js = rate(n, run);
  setWasmTransposeEnabled(true);
  const wasm = rate(n, run);
  totals.js += n / js;
  totals.wasm += n / wasm;
  totals.n += n;
  console.log(`| ${name} | ${js.toFixed(0)} | ${wasm.toFixed(0)} | ${(wasm / js).toFixed(2)} |`);
}
const [js, wasm] = [totals.n / totals.js, totals.n / totals.wasm];
console.log(`| all, by time | ${js.toFixed(0)} | ${wasm.toFixed(0)} | ${(wasm / js).toFixed(2)} |`);
