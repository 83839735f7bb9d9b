/**
 * `npm run bench [-- --only a,b]`: every registered benchmark in one process tree, printed as one
 * table (suite, measurement, ours, anchor, ratio, unit) and written to bench/results.json (with the
 * machine it ran on) and bench/results.md (the table the README quotes). An anchor is the reference
 * measured in the same run (Keras's exported ONNX, onnxruntime, tfjs-layers) or, where there is none,
 * the target. Each suite exports a function returning rows {name, ours, anchor?, ratio?, unit}; add
 * yours to the list below. A suite that throws is reported as a row and does not stop the others.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { arch, cpus, loadavg, platform, release, totalmem } from "node:os";
import { join } from "node:path";
import { benchApi } from "./api.js";
import { benchConvert } from "./convert.js";
import { benchOnnxImport } from "./onnx-import.js";
import { onnxLatency } from "./onnx-latency.js";
import { benchParseSummary } from "./parse-summary.js";
import { type BenchRow, benchPlot } from "./plot.js";
import { benchViewer } from "./viewer.js";
import { benchTrain } from "./train.js";
import { benchWeightsIO } from "./weights-io.js";

const ROOT = join(import.meta.dirname, "..", "..");

const suites: [string, () => BenchRow[] | Promise<BenchRow[]>][] = [
  ["parse-summary", benchParseSummary],
  ["plot", benchPlot],
  ["viewer", benchViewer],
  ["api", benchApi],
  ["onnx-import", benchOnnxImport],
  ["onnx-latency", () => onnxLatency()],
  ["weights-io", () => benchWeightsIO()],
  ["convert", () => benchConvert()],
  ["train", benchTrain],
];

const onlyArg = process.argv.indexOf("--only");
const only = onlyArg >= 0 ? new Set(process.argv[onlyArg + 1]?.split(",")) : null;

const machine = {
  cpu: cpus()[0]?.model ?? "unknown",
  cores: cpus().length,
  memoryGB: Math.round(totalmem() / 2 ** 30),
  os: `${platform()} ${release()} ${arch()}`,
  node: process.version,
  loadAverage: loadavg().map((x) => Math.round(x * 10) / 10),
};
const rows: (BenchRow & { suite: string; seconds?: number })[] = [];
for (const [suite, bench] of suites) {
  if (only && !only.has(suite)) continue;
  const t0 = performance.now();
  process.stderr.write(`running ${suite}…\n`);
  try {
    for (const r of await bench()) rows.push({ suite, ...r });
  } catch (e) {
    rows.push({ suite, name: `failed: ${(e as Error).message.split("\n")[0]}`, ours: NaN, unit: "" });
  }
  process.stderr.write(`  ${suite}: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

/** Four significant digits (ratios two decimals): one style for every suite's numbers. */
const cell = (x: number | undefined, digits = 4): string =>
  x === undefined || Number.isNaN(x) ? "" : String(Math.abs(x) >= 10 ** digits ? Math.round(x) : Number(x.toPrecision(digits)));
const head = `| suite | measurement | ours | anchor | ratio | unit |\n| --- | --- | ---: | ---: | ---: | --- |\n`;
const table =
  head + rows.map((r) => `| ${r.suite} | ${r.name} | ${cell(r.ours)} | ${cell(r.anchor)} | ${r.ratio === undefined ? "" : r.ratio.toFixed(2)} | ${r.unit} |`).join("\n") + "\n";
const where = `${machine.cpu}, ${machine.cores} cores, ${machine.memoryGB} GB, ${machine.os}, Node ${machine.node}, load average ${machine.loadAverage.join(" ")}`;
console.log(`\n${where}\n\n${table}`);

mkdirSync(join(ROOT, "bench"), { recursive: true });
const date = new Date().toISOString();
writeFileSync(join(ROOT, "bench", "results.json"), `${JSON.stringify({ date, machine, rows }, null, 2)}\n`);
writeFileSync(join(ROOT, "bench", "results.md"), `Measured ${date.slice(0, 10)} on ${where}.\n\n${table}`);
console.log("wrote bench/results.json and bench/results.md");
