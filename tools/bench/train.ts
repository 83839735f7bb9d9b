/**
 * Training speed: the seed's MLP (fixtures/keras3/seed/mnist_mlp, 784-64-64-10) on 48,000 samples of
 * 784 floats, batch 64, RMSprop, sparse categorical crossentropy from logits, accuracy, shuffled:
 * seconds per epoch of kerasgraph's trainer (Keras's semantics) against plain tfjs-layers `fit` (tfjs's
 * own RMSprop, in a separate process so that its stock kernels are timed), on the wasm and cpu
 * backends. wasm runs four epochs and reports the fastest after the first (warm-up), as a benchmark on
 * a machine shared with other work should; cpu runs one. Each is reported as wall-clock and as CPU time
 * (what the process itself used, which other work inflates less). Target: at most 1.5 s per epoch for
 * kerasgraph on wasm.
 */
import { execFileSync } from "node:child_process";
import { loadavg } from "node:os";
import { join } from "node:path";
import { TfjsModel } from "../../src/exec/tfjs/model.js";
import type { TfjsBackend } from "../../src/exec/tfjs/runtime.js";
import { openModel } from "../../src/formats/open.js";
import type { BenchRow } from "./plot.js";
// @ts-expect-error -- a plain .mjs helper shared with the baseline's process
import { benchSamples } from "./train-data.mjs";

const ROOT = join(import.meta.dirname, "..", "..");
const SAMPLES = 48000;
export const TRAIN_TARGET_SECONDS = 1.5;

interface EpochTime {
  wall: number;
  cpu: number;
}

function tfjsLayersFit(backend: TfjsBackend, epochs: number): EpochTime {
  const script = join(import.meta.dirname, "tfjs-fit-baseline.mjs");
  const out = execFileSync(process.execPath, [script, backend, String(SAMPLES), String(epochs)], { cwd: ROOT, encoding: "utf8" });
  const r = JSON.parse(out.trim().split("\n").at(-1)!) as { secondsPerEpoch: number[]; cpuSecondsPerEpoch: number[] };
  return fastest(r.secondsPerEpoch.map((wall, i) => ({ wall, cpu: r.cpuSecondsPerEpoch[i]! })));
}

async function kerasgraphFit(backend: TfjsBackend, epochs: number): Promise<EpochTime> {
  const { x, y } = benchSamples(SAMPLES) as { x: Float32Array; y: Int32Array };
  const { graph } = await openModel(join(ROOT, "fixtures/keras3/seed/mnist_mlp/model.keras"));
  const model = await TfjsModel.fromGraph(graph, { backend });
  model.compile({
    optimizer: "rmsprop",
    loss: { class_name: "SparseCategoricalCrossentropy", config: { from_logits: true } },
    metrics: ["accuracy"],
  });
  const times: EpochTime[] = [];
  let start = 0;
  let cpu = process.cpuUsage();
  const onEpochBegin = () => {
    start = performance.now();
    cpu = process.cpuUsage();
  };
  const onEpochEnd = () => {
    const used = process.cpuUsage(cpu);
    times.push({ wall: (performance.now() - start) / 1000, cpu: (used.user + used.system) / 1e6 });
  };
  const xs = { dtype: "float32", shape: [SAMPLES, 784], data: x };
  const ys = { dtype: "int32", shape: [SAMPLES], data: y };
  await model.fit(xs, ys, { batchSize: 64, epochs, verbose: 0, callbacks: [{ onEpochBegin, onEpochEnd }] });
  model.dispose();
  return fastest(times);
}

/** The fastest epoch (by wall time) after the first, or the only one. */
function fastest(times: EpochTime[]): EpochTime {
  const measured = times.length > 1 ? times.slice(1) : times;
  return measured.reduce((a, b) => (b.wall < a.wall ? b : a));
}

export async function benchTrain(): Promise<BenchRow[]> {
  const round = (v: number) => Math.round(v * 100) / 100;
  const rows: BenchRow[] = [];
  for (const [backend, epochs] of [["wasm", 4], ["cpu", 1]] as const) {
    const theirs = tfjsLayersFit(backend, epochs);
    const ours = await kerasgraphFit(backend, epochs);
    const label = `MLP 48k×784, batch 64, RMSprop: kerasgraph trainer vs tfjs-layers fit (${backend}`;
    rows.push({ name: `${label}, wall)`, ours: round(ours.wall), anchor: round(theirs.wall), ratio: round(ours.wall / theirs.wall), unit: "s/epoch" });
    rows.push({ name: `${label}, CPU time)`, ours: round(ours.cpu), anchor: round(theirs.cpu), ratio: round(ours.cpu / theirs.cpu), unit: "s/epoch" });
    if (backend === "wasm") {
      rows.push({ name: "kerasgraph trainer (wasm, wall) vs the 1.5 s/epoch target", ours: round(ours.wall), anchor: TRAIN_TARGET_SECONDS, ratio: round(ours.wall / TRAIN_TARGET_SECONDS), unit: "s/epoch" });
    }
  }
  rows.push({ name: "load average (1 min) at the end, 2 cores", ours: round(loadavg()[0]!), unit: "processes" });
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchTrain()) console.log(`| ${r.name} | ${r.ours} | ${r.anchor ?? ""} | ${r.ratio ?? ""} | ${r.unit} |`);
}
