/**
 * Plot benchmark: DenseNet121's config (429 layers, `fixtures/keras3/apps_config/DenseNet121`) drawn
 * as Keras's `plot_model(show_shapes=True)` to SVG: JSON text to IR, IR to DOT, Graphviz (WebAssembly)
 * to SVG. Each run is a fresh Node process, so the first ("cold") time includes loading Graphviz's
 * wasm and its peak RSS is its own; the same process then lays the graph out again ("warm").
 * Target: cold total at most 2 s.
 *
 * `benchPlot()` returns rows `{name, ours, anchor?, ratio?, unit}` (anchor: the target);
 * `node --import tsx tools/bench/plot.ts` prints them.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { peakRssMb } from "./peak-rss.js";

/** One measurement, as every benchmark reports it (anchor: the target or reference value). */
export interface BenchRow {
  name: string;
  ours: number;
  anchor?: number;
  ratio?: number;
  unit: string;
}

const ROOT = join(import.meta.dirname, "..", "..");
const MODEL = "fixtures/keras3/apps_config/DenseNet121/model.json";
const TARGET_MS = 2000;
const WARM_RUNS = 3;

interface ChildResult {
  readMs: number;
  dotMs: number;
  svgColdMs: number;
  svgWarmMs: number[];
  svgBytes: number;
  /** CPU time of the cold run, every thread of the process (Graphviz's wasm is compiled in the background). */
  coldCpuMs: number;
  peakRssMb: number;
  /** The machine's 1-minute load average when the run began: a busy machine's wall times are not the code's. */
  load: number;
}

/** One cold run and a few warm layouts in this process. */
async function measure(): Promise<ChildResult> {
  const load = loadavg()[0]!;
  const cpu0 = process.cpuUsage();
  const [{ readKerasJson }, { modelToDot, dotToSvg }] = await Promise.all([
    import("../../src/formats/keras-json/read.js"),
    import("../../src/tools/plot/index.js"),
    import("../../src/layers/index.js"),
  ]);
  const t1 = performance.now();
  const graph = readKerasJson(readFileSync(join(ROOT, MODEL), "utf8"), { file: MODEL });
  const t2 = performance.now();
  const dot = modelToDot(graph, { showShapes: true });
  const t3 = performance.now();
  const svg = await dotToSvg(dot);
  const t4 = performance.now();
  const cpu = process.cpuUsage(cpu0);
  const svgWarmMs: number[] = [];
  for (let i = 0; i < WARM_RUNS; i++) {
    const s = performance.now();
    await dotToSvg(dot);
    svgWarmMs.push(performance.now() - s);
  }
  return {
    readMs: t2 - t1,
    dotMs: t3 - t2,
    svgColdMs: t4 - t3,
    svgWarmMs,
    svgBytes: svg.length,
    coldCpuMs: (cpu.user + cpu.system) / 1000,
    peakRssMb: peakRssMb(),
    load,
  };
}

function runChild(): ChildResult {
  const out = execFileSync(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--child"], {
    cwd: ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(out.trim().split("\n").at(-1)!) as ChildResult;
}

export function benchPlot(options: { runs?: number } = {}): BenchRow[] {
  const results = Array.from({ length: options.runs ?? 3 }, runChild);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
  const read = median(results.map((r) => r.readMs));
  const dot = median(results.map((r) => r.dotMs));
  const cold = median(results.map((r) => r.readMs + r.dotMs + r.svgColdMs));
  const warm = median(results.flatMap((r) => r.svgWarmMs));
  const cpu = median(results.map((r) => r.coldCpuMs));
  const peak = Math.max(...results.map((r) => r.peakRssMb));
  const load = median(results.map((r) => r.load));
  const label = "DenseNet121 (429 layers) plot_model(show_shapes) to SVG";
  return [
    { name: `${label}: JSON to IR`, ours: round(read), unit: "ms" },
    { name: `${label}: IR to DOT`, ours: round(dot), unit: "ms" },
    {
      name: `${label}: total, fresh process (Graphviz wasm load + layout)`,
      ours: round(cold),
      anchor: TARGET_MS,
      ratio: round(cold / TARGET_MS, 2),
      unit: "ms",
    },
    { name: `${label}: total, CPU time of all threads`, ours: round(cpu), unit: "ms" },
    { name: `${label}: Graphviz layout again, wasm loaded`, ours: round(warm), unit: "ms" },
    { name: `${label}: SVG size`, ours: round(results[0]!.svgBytes / 1e6, 2), unit: "MB" },
    { name: `${label}: peak RSS of the process`, ours: round(peak), unit: "MB" },
    { name: "machine load average (1 min) during the runs", ours: round(load, 2), unit: "" },
  ];
}

function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === "--child") {
    console.log(JSON.stringify(await measure()));
  } else {
    const rows = benchPlot();
    console.log(`plot, Node ${process.version}\n`);
    console.log("| measurement | ours | target | ratio | unit |\n| --- | ---: | ---: | ---: | --- |");
    for (const r of rows) console.log(`| ${r.name} | ${r.ours} | ${r.anchor ?? ""} | ${r.ratio ?? ""} | ${r.unit} |`);
  }
}
