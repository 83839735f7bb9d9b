/**
 * `npm run bench`: DenseNet121's config (429 layers) from JSON text to IR (with every shape and weight
 * computed) to summary text, timed stage by stage. 3 warm-up runs, then 20 timed; prints median and p90
 * and writes bench/results.json. Target: a median total of at most 50 ms. Then the other suites listed
 * below (plot: DenseNet121 drawn to SVG, tools/bench/plot.ts), also written to results.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readKerasJson } from "../../src/formats/keras-json/read.js";
import "../../src/layers/index.js";
import { summaryText } from "../../src/tools/summary/index.js";
import { benchApi } from "./api.js";
import { benchOnnxImport } from "./onnx-import.js";
import { type BenchRow, benchPlot } from "./plot.js";

const ROOT = join(import.meta.dirname, "..", "..");
const MODEL = "fixtures/keras3/apps_config/DenseNet121/model.json";
const WARMUP = 3;
const RUNS = 20;
const TARGET_MS = 50;

const text = readFileSync(join(ROOT, MODEL), "utf8");
const stages = { "JSON.parse": [] as number[], "read (IR + shapes)": [] as number[], summary: [] as number[], total: [] as number[] };
let layers = 0;

for (let i = 0; i < WARMUP + RUNS; i++) {
  const t0 = performance.now();
  const json: unknown = JSON.parse(text);
  const t1 = performance.now();
  const graph = readKerasJson(json, { file: MODEL });
  const t2 = performance.now();
  summaryText(graph, { lineLength: 110, expandNested: false });
  const t3 = performance.now();
  layers = graph.layers.length;
  if (i < WARMUP) continue;
  stages["JSON.parse"].push(t1 - t0);
  stages["read (IR + shapes)"].push(t2 - t1);
  stages.summary.push(t3 - t2);
  stages.total.push(t3 - t0);
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
const rows = Object.entries(stages).map(([stage, xs]) => ({ stage, median_ms: median(xs), p90_ms: quantile(xs, 0.9) }));

console.log(`DenseNet121 (${layers} layers), ${RUNS} runs after ${WARMUP} warm-ups, Node ${process.version}\n`);
console.log(`| ${"stage".padEnd(20)} | median ms | p90 ms |`);
console.log(`| ${"-".repeat(20)} | --------: | -----: |`);
for (const r of rows) console.log(`| ${r.stage.padEnd(20)} | ${r.median_ms.toFixed(1).padStart(9)} | ${r.p90_ms.toFixed(1).padStart(6)} |`);
const total = rows.at(-1)!.median_ms;
console.log(`\nmedian total ${total.toFixed(1)} ms: target <= ${TARGET_MS} ms ${total <= TARGET_MS ? "met" : "MISSED"}`);

// The other benchmarks: each returns rows {name, ours, anchor?, ratio?, unit} (anchor: its target).
const suites: [string, () => BenchRow[] | Promise<BenchRow[]>][] = [
  ["plot", benchPlot],
  ["api", benchApi],
  ["onnx-import", benchOnnxImport],
];
const suiteRows: Record<string, BenchRow[]> = {};
for (const [name, bench] of suites) {
  suiteRows[name] = await bench();
  console.log(`\n${name}\n\n| measurement | ours | target | ratio | unit |\n| --- | ---: | ---: | ---: | --- |`);
  for (const r of suiteRows[name]) console.log(`| ${r.name} | ${r.ours} | ${r.anchor ?? ""} | ${r.ratio ?? ""} | ${r.unit} |`);
}

mkdirSync(join(ROOT, "bench"), { recursive: true });
const results = { model: MODEL, layers, runs: RUNS, warmup: WARMUP, node: process.version, target_ms: TARGET_MS, stages: rows, suites: suiteRows };
writeFileSync(join(ROOT, "bench", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
console.log("wrote bench/results.json");
