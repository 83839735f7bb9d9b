/**
 * Conversion benchmark: ResNet50 (keras.applications' config, about 102 MB of random float32 weights)
 * converted the way `kerasgraph convert` does it, .keras → .onnx with external data and .onnx → .keras,
 * each in a fresh Node process (so the peak RSS is the conversion's own). What a process does once, not
 * per conversion, is not timed: the HDF5 library's start, the start of the worker thread that sums zip
 * members' CRCs (kept for the process's later conversions: a batch `convert --out-dir` thread, a server),
 * and a warm-up conversion of a small model with the same layer kinds, both ways. Rows: MB of weights per
 * second of the whole conversion (read, translate, write; target 500 MB/s) and the process's peak RSS.
 * One more row times `kerasgraph convert` as a command, .keras → .onnx, whole (Node's start, loading
 * the CLI, the worker's start and the conversion): what one conversion from a shell takes.
 *
 * `benchConvert()` returns rows `{name, ours, anchor?, ratio?, unit}`;
 * `node --import tsx tools/bench/convert.ts` prints them.
 */
import { execFileSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadHdf5 } from "../../src/formats/hdf5/h5wasm.js";
import { prestartCrcThread } from "../../src/formats/keras-zip/crc-thread.js";
import { writeKerasArchive } from "../../src/formats/keras-zip/write.js";
import { writeOnnxFileExternal } from "../../src/formats/onnx/write-external.js";
import { openModel } from "../../src/formats/open.js";
import { saveModel } from "../../src/formats/save.js";
import { writeFully } from "../../src/formats/write-fully.js";
import { resnet50WithWeights } from "./weights-io.js";
import { peakRssMb } from "./peak-rss.js";

export interface BenchRow {
  name: string;
  ours: number;
  anchor?: number;
  ratio?: number;
  unit: string;
}

const ROOT = join(import.meta.dirname, "..", "..");
const TARGET_MB_S = 500;
const MB = 1e6;

/** One conversion, `src` → `dest` by dest's extension, as `kerasgraph convert` runs it. */
async function convert(src: string, dest: string): Promise<void> {
  const { graph } = await openModel(src);
  if (dest.endsWith(".onnx")) await writeOnnxFileExternal(graph, dest, { externalData: "always" });
  else await saveModel(graph, dest);
}

async function child(src: string, dest: string): Promise<{ ms: number; peakRssMb: number }> {
  await loadHdf5();
  // Started once per process and kept (crc-thread.ts): the conversion takes it idle, as a process's second would.
  prestartCrcThread();
  // The warm-up converts a small model of the same layer kinds (Conv2D, BatchNormalization, Add, Dense)
  // both ways, so that neither direction's first compilation is timed.
  await convert(join(ROOT, "fixtures/keras3/seed/toy_resnet/model.keras"), `${dest}.warm.onnx`);
  await convert(`${dest}.warm.onnx`, `${dest}.warm.keras`);
  // An earlier run's output is removed untimed: replacing it would time the file system freeing it.
  for (const old of [dest, `${dest}.data`]) rmSync(old, { force: true });
  const t0 = performance.now();
  await convert(src, dest);
  return { ms: performance.now() - t0, peakRssMb: peakRssMb() };
}

function runChild(src: string, dest: string): { ms: number; peakRssMb: number } {
  const preload = join(import.meta.dirname, "preload-h5wasm.mjs");
  const args = ["--import", preload, "--import", "tsx", fileURLToPath(import.meta.url), "--child", src, dest];
  const out = execFileSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  return JSON.parse(out.trim().split("\n").at(-1)!) as { ms: number; peakRssMb: number };
}

export async function benchConvert(options: { runs?: number } = {}): Promise<BenchRow[]> {
  const runs = options.runs ?? 3;
  const { graph, bytes } = resnet50WithWeights();
  const dir = mkdtempSync(join(tmpdir(), "kerasgraph-bench-convert-"));
  try {
    const keras = join(dir, "resnet50.keras");
    await writeKerasArchive(graph, keras);
    const onnx = join(dir, "resnet50.onnx");
    const steps: [string, string, string][] = [
      [".keras → .onnx (external data)", keras, onnx],
      [".onnx → .keras", onnx, join(dir, "back.keras")],
    ];
    const rows: BenchRow[] = [];
    const mb = bytes / MB;
    for (const [label, src, dest] of steps) {
      let results: { ms: number; peakRssMb: number }[];
      try {
        results = Array.from({ length: runs }, () => runChild(src, dest));
      } catch (e) {
        rows.push({ name: `ResNet50 ${label}: failed (${(e as Error).message.split("\n")[0]})`, ours: NaN, unit: "" });
        continue;
      }
      const ms = Math.min(...results.map((r) => r.ms));
      const speed = mb / (ms / 1000);
      const name = `ResNet50 ${mb.toFixed(0)} MB ${label}`;
      rows.push({ name, ours: round(speed), anchor: TARGET_MB_S, ratio: round(speed / TARGET_MB_S, 2), unit: "MB/s" });
      rows.push({ name: `${name} peak RSS`, ours: round(Math.max(...results.map((r) => r.peakRssMb))), unit: "MB" });
    }
    const cli = join(ROOT, "bin", "kerasgraph.js");
    if (existsSync(join(ROOT, "dist", "cli", "main.js"))) {
      const command = Math.min(...Array.from({ length: runs }, () => runCommand(cli, keras, join(dir, "cli.onnx"))));
      rows.push({ name: `kerasgraph convert ResNet50 .keras → .onnx as a command, whole process`, ours: round(command / 1000, 2), unit: "s" });
    } else {
      rows.push({ name: "kerasgraph convert as a command: not run (no dist/: npm run build)", ours: NaN, unit: "" });
    }
    // The machine's floor for the same bytes: the .keras read in 8 MB chunks and written back as the
    // writers write (pieces of at most 1 MiB, write-fully.ts), no work.
    const copyMs = Math.min(...Array.from({ length: runs }, () => copyOnce(keras, join(dir, "copy.bin"))));
    const floor = mb / (copyMs / 1000);
    rows.push({ name: `I/O floor: the ${mb.toFixed(0)} MB read and written, nothing else`, ours: round(floor), unit: "MB/s" });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Milliseconds from spawning `kerasgraph convert src dest --external-data` to its exit. */
function runCommand(cli: string, src: string, dest: string): number {
  for (const old of [dest, `${dest}.data`]) rmSync(old, { force: true });
  const t0 = performance.now();
  execFileSync(process.execPath, [cli, "convert", src, dest, "--external-data"], { cwd: ROOT, stdio: "ignore" });
  return performance.now() - t0;
}

/** Milliseconds to copy `src` to `dest` through one 8 MB buffer (read + write, as a conversion must). */
function copyOnce(src: string, dest: string): number {
  rmSync(dest, { force: true });
  const t0 = performance.now();
  const input = openSync(src, "r");
  const output = openSync(dest, "w");
  try {
    const buffer = new Uint8Array(8 * 2 ** 20);
    for (let n: number; (n = readSync(input, buffer, 0, buffer.length, null)) > 0; ) {
      writeFully(output, buffer, null, 0, n);
    }
  } finally {
    closeSync(input);
    closeSync(output);
  }
  return performance.now() - t0;
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === "--child") console.log(JSON.stringify(await child(args[1]!, args[2]!)));
  else for (const r of await benchConvert()) console.log(`| ${r.name} | ${r.ours} | ${r.anchor ?? ""} | ${r.ratio ?? ""} | ${r.unit} |`);
}
