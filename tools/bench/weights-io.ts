/**
 * Weights I/O benchmark: ResNet50 (keras.applications' config, 25.6 M parameters, about 102 MB of
 * float32 with random values) read from and written back to `.keras` and legacy `.h5`. Each
 * measurement runs in a fresh Node process so that its peak RSS is its own. Targets: read and write at
 * least 500 MB/s; peak RSS of a read + write at most 2 × the weights + 150 MB.
 *
 * `benchWeightsIO()` returns rows `{name, ours, anchor?, ratio?, unit}` (anchor: the target);
 * `node --import tsx tools/bench/weights-io.ts` prints them.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeH5Model } from "../../src/formats/h5/write.js";
import { loadHdf5 } from "../../src/formats/hdf5/h5wasm.js";
import { readKerasJson } from "../../src/formats/keras-json/read.js";
import { writeKerasArchive } from "../../src/formats/keras-zip/write.js";
import { openModel } from "../../src/formats/open.js";
import { saveModel } from "../../src/formats/save.js";
import type { Graph } from "../../src/ir/graph.js";
import { WeightData } from "../../src/ir/weights.js";
import "../../src/layers/index.js";
import { peakRssMb } from "./peak-rss.js";

export interface BenchRow {
  name: string;
  ours: number;
  anchor?: number;
  ratio?: number;
  unit: string;
}

const ROOT = join(import.meta.dirname, "..", "..");
const MODEL = join(ROOT, "fixtures/keras3/apps_config/ResNet50/model.json");
const TARGET_MB_S = 500;
const RSS_MARGIN_MB = 150;
const MB = 1e6;

/** ResNet50 with deterministic pseudo-random float32 weights in [-1, 1). */
export function resnet50WithWeights(): { graph: Graph; bytes: number } {
  const graph = readKerasJson(readFileSync(MODEL, "utf8"), { file: MODEL });
  let state = 0x9e3779b9;
  let bytes = 0;
  for (const layer of graph.layers) {
    for (const w of layer.weights ?? []) {
      const values = new Float32Array(w.shape.reduce((a, b) => a * b, 1));
      for (let i = 0; i < values.length; i++) {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        values[i] = (state >>> 0) / 2 ** 31 - 1;
      }
      layer.values.set(w.name, new WeightData("float32", w.shape, values));
      bytes += values.byteLength;
    }
  }
  return { graph, bytes };
}

interface ChildResult {
  readMs: number;
  writeMs: number;
  /** CPU time (user + system) of each phase: the code's cost, whatever else the machine is running. */
  readCpuMs: number;
  writeCpuMs: number;
  baselineRssMb: number;
  peakRssMb: number;
}

/**
 * One measurement in this process: read `src` (every value loaded), write it to `dest`. The HDF5
 * library's start (about 0.3 s) and the first compilation of the code paths are not part of it: a small
 * model is read and written first.
 */
async function measure(src: string, dest: string): Promise<ChildResult> {
  await loadHdf5();
  const warm = (await openModel(join(ROOT, "fixtures/keras3/seed/mnist_mlp/model.keras"), { lazy: false })).graph;
  await saveModel(warm, `${dest}.warm${extname(dest)}`);
  await openModel(`${dest}.warm${extname(dest)}`, { lazy: false });
  rmSync(`${dest}.warm${extname(dest)}`);
  rmSync(dest, { force: true }); // writing, not deleting the previous run's file, is measured
  const baselineRssMb = process.memoryUsage().rss / MB;
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const [t0, c0] = [performance.now(), cpu()];
  const { graph } = await openModel(src, { lazy: false });
  for (const layer of graph.layers) for (const v of layer.values.values()) void v.values;
  const [t1, c1] = [performance.now(), cpu()];
  await saveModel(graph, dest);
  const [t2, c2] = [performance.now(), cpu()];
  return {
    readMs: t1 - t0,
    writeMs: t2 - t1,
    readCpuMs: c1 - c0,
    writeCpuMs: c2 - c1,
    baselineRssMb,
    peakRssMb: peakRssMb(),
  };
}

function runChild(src: string, dest: string): ChildResult {
  const preload = join(import.meta.dirname, "preload-h5wasm.mjs");
  const args = ["--import", preload, "--import", "tsx", fileURLToPath(import.meta.url), "--child", src, dest];
  const out = execFileSync(process.execPath, args, {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(out.trim().split("\n").at(-1)!) as ChildResult;
}

/**
 * Where the files go: the system's temporary folder (a disk), and /dev/shm (memory) where it exists, so
 * that the disk's own speed, which bounds writing, can be told apart from the code's.
 */
function locations(): { label: string; dir: string }[] {
  const out = [{ label: "disk", dir: tmpdir() }];
  if (existsSync("/dev/shm")) out.push({ label: "tmpfs", dir: "/dev/shm" });
  return out;
}

export async function benchWeightsIO(options: { runs?: number } = {}): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const { graph, bytes } = resnet50WithWeights();
  for (const where of locations()) rows.push(...(await benchIn(where, graph, bytes, options.runs ?? 5)));
  return rows;
}

async function benchIn(where: { label: string; dir: string }, graph: Graph, bytes: number, runs: number): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(where.dir, "kerasgraph-bench-"));
  try {
    const mb = bytes / MB;
    const files = { keras: join(dir, "resnet50.keras"), h5: join(dir, "resnet50.h5") };
    await writeKerasArchive(graph, files.keras);
    await writeH5Model(graph, files.h5);
    const rows: BenchRow[] = [rawWrite(where.label, dir, bytes)];
    const rssTarget = 2 * mb + RSS_MARGIN_MB;
    for (const [format, src] of Object.entries(files)) {
      const results = Array.from({ length: runs }, () => runChild(src, join(dir, `out.${format}`)));
      // The fastest run: on a shared machine the others measure the neighbours.
      const best = (xs: number[]) => Math.min(...xs);
      const read = best(results.map((r) => r.readMs));
      const write = best(results.map((r) => r.writeMs));
      const readCpu = best(results.map((r) => r.readCpuMs));
      const writeCpu = best(results.map((r) => r.writeCpuMs));
      const peak = Math.max(...results.map((r) => r.peakRssMb));
      const label = `ResNet50 ${mb.toFixed(0)} MB .${format} (${where.label})`;
      const speed = (name: string, ms: number): BenchRow => {
        const ours = mb / (ms / 1000);
        return { name: `${label} ${name}`, ours: round(ours), anchor: TARGET_MB_S, ratio: round(ours / TARGET_MB_S, 2), unit: "MB/s" };
      };
      rows.push(speed("read", read), speed("write", write), speed("read+write (MB / total time)", read + write));
      rows.push(speed("read, per CPU second", readCpu), speed("write, per CPU second", writeCpu));
      rows.push({
        name: `${label} read+write peak RSS (target 2×weights+${RSS_MARGIN_MB} MB)`,
        ours: round(peak),
        anchor: round(rssTarget),
        ratio: round(peak / rssTarget, 2),
        unit: "MB",
      });
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How fast the location takes the same number of bytes from Node at all (the ceiling for writing). */
function rawWrite(label: string, dir: string, bytes: number): BenchRow {
  const data = new Uint8Array(bytes).fill(1);
  const path = join(dir, "raw.bin");
  const times = Array.from({ length: 3 }, () => {
    const t = performance.now();
    writeFileSync(path, data);
    const ms = performance.now() - t;
    rmSync(path);
    return ms;
  }).sort((a, b) => a - b);
  return { name: `${label}: fs.writeFileSync of the same ${(bytes / MB).toFixed(0)} MB (ceiling for writing)`, ours: round(bytes / MB / (times[1]! / 1000)), unit: "MB/s" };
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === "--child") {
    const result = await measure(args[1]!, args[2]!);
    console.log(JSON.stringify(result));
  } else {
    const rows = await benchWeightsIO();
    const load = loadavg().map((x) => x.toFixed(1)).join(" ");
    console.log(`weights I/O, Node ${process.version}, ${cpus().length} CPUs, load average ${load}\n`);
    console.log("| measurement | ours | target | ratio | unit |\n| --- | ---: | ---: | ---: | --- |");
    for (const r of rows) console.log(`| ${r.name} | ${r.ours} | ${r.anchor ?? ""} | ${r.ratio ?? ""} | ${r.unit} |`);
  }
}
