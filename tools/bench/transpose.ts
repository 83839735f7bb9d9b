/**
 * Micro benchmark of `transposeData` on ResNet50's conv kernels: (H, W, I, O) → (O, I, H, W) as the
 * ONNX exporter lays them out, the inverse (O, I, H, W) → (H, W, I, O) as the importer restores them,
 * and the matrix transpose (I, O) → (O, I) of the same elements. Prints M elements/s for the JS loops
 * and for the WebAssembly kernel (copies into and out of its memory included), best of several runs.
 *
 * Then the way a conversion runs them: every ResNet50 kernel read from a file into a fresh
 * KernelScratch (new wasm memory, as in a new process), transposed there and written to a file, in
 * both directions; median ms of the read, transpose and write phases over several runs. A kernel change
 * that wins in the table above can lose here (page faults on fresh memory, data that is not in cache):
 * a 16-column-panel order was 20–30% faster in place and 40–70% slower here, and was reverted.
 * Run: node --import tsx tools/bench/transpose.ts
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { transposeData } from "../../src/formats/onnx/tensor-data.js";
import { writeFully } from "../../src/formats/write-fully.js";
import {
  KernelScratch,
  setWasmTransposeEnabled,
  wasmTransposeAvailable,
} from "../../src/formats/transpose/transpose.js";
import { resnet50WithWeights } from "./weights-io.js";

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

/** Every rank-4 (conv) and rank-2 (dense) kernel shape of ResNet50, in the model's order. */
function resnet50Kernels(): number[][] {
  const { graph } = resnet50WithWeights();
  return graph.layers.flatMap((l) => (l.weights ?? []).map((w) => w.shape).filter((s) => s.length === 4 || s.length === 2));
}

/**
 * One pass as a conversion makes it: each kernel's bytes read from `src` into a fresh KernelScratch,
 * transposed into its layout slot, written to a new file; ms of each phase.
 */
function pipelinePass(src: string, out: string, shapes: number[][], direction: "export" | "import"): number[] {
  rmSync(out, { force: true });
  const scratch = new KernelScratch();
  const [input, output] = [openSync(src, "r"), openSync(out, "w")];
  const ms = [0, 0, 0];
  let at = 0;
  try {
    for (const shape of shapes) {
      const [stored, perm] =
        shape.length === 2
          ? [shape, [1, 0]]
          : direction === "export"
            ? [shape, [3, 2, 0, 1]]
            : [[shape[3]!, shape[2]!, shape[0]!, shape[1]!], [2, 3, 1, 0]];
      const bytes = stored.reduce((a, b) => a * b, 1) * 4;
      let t = performance.now();
      const read = scratch.bytes("read", bytes);
      for (let done = 0; done < bytes; ) done += readSync(input, read, done, bytes - done, at + done);
      const values = new Float32Array(read.buffer, read.byteOffset, bytes / 4);
      ms[0]! += performance.now() - t;
      t = performance.now();
      const laid = transposeData(values, stored, perm, scratch.like("layout", values));
      ms[1]! += performance.now() - t;
      t = performance.now();
      const view = new Uint8Array(laid.buffer, laid.byteOffset, bytes);
      writeFully(output, view, at);
      ms[2]! += performance.now() - t;
      at += bytes;
    }
  } finally {
    closeSync(input);
    closeSync(output);
  }
  return ms;
}

if (wasmTransposeAvailable()) {
  const shapes = resnet50Kernels();
  const total = shapes.reduce((n, s) => n + s.reduce((a, b) => a * b, 1) * 4, 0);
  const dir = mkdtempSync(join(tmpdir(), "kerasgraph-bench-transpose-"));
  try {
    const src = join(dir, "kernels.bin");
    writeFileSync(src, Buffer.from(Float32Array.from({ length: total / 4 }, (_, i) => i).buffer));
    console.log(`\n| ResNet50's ${shapes.length} kernels, ${(total / 1e6).toFixed(0)} MB, as a conversion | read ms | transpose ms | write ms |`);
    console.log("|---|---:|---:|---:|");
    for (const direction of ["export", "import"] as const) {
      const runs = Array.from({ length: 7 }, () => pipelinePass(src, join(dir, "out.bin"), shapes, direction));
      const median = (i: number) => runs.map((r) => r[i]!).sort((a, b) => a - b)[runs.length >> 1]!.toFixed(1);
      const label = direction === "export" ? "HWIO → OIHW (export)" : "OIHW → HWIO (import)";
      console.log(`| ${label} | ${median(0)} | ${median(1)} | ${median(2)} |`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
