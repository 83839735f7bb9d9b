/**
 * DenseNet121's config (429 layers) from JSON text to IR (every shape and weight spec computed) to
 * summary text, timed stage by stage: 3 warm-up runs, then 20 timed; rows are the median and p90 of
 * each stage. Target: a median total of at most 50 ms.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readKerasJson } from "../../src/formats/keras-json/read.js";
import "../../src/layers/index.js";
import { summaryText } from "../../src/tools/summary/index.js";
import type { BenchRow } from "./plot.js";

const ROOT = join(import.meta.dirname, "..", "..");
const MODEL = "fixtures/keras3/apps_config/DenseNet121/model.json";
const WARMUP = 3;
const RUNS = 20;
const TARGET_MS = 50;

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

export function benchParseSummary(): BenchRow[] {
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
  const round = (x: number): number => Math.round(x * 10) / 10;
  return Object.entries(stages).flatMap(([stage, xs]) => {
    const name = `DenseNet121 (${layers} layers) ${stage}`;
    const target = stage === "total" ? { anchor: TARGET_MS, ratio: round(quantile(xs, 0.5) / TARGET_MS * 100) / 100 } : {};
    return [
      { name: `${name}, median`, ours: round(quantile(xs, 0.5)), ...target, unit: "ms" },
      { name: `${name}, p90`, ours: round(quantile(xs, 0.9)), unit: "ms" },
    ];
  });
}
