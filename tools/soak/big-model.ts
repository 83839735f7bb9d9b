/**
 * Soak: a model of about `--gb` GB of float32 weights (default 3; Dense 4096×4096 layers built with
 * kerasgraph's own API, deterministic random weights made lazily, never committed) goes
 * .keras → .onnx (external data) → .keras, each step in its own Node process so that its peak RSS is
 * its own. Then onnxruntime-node runs the ONNX by path and the final .keras's weights are compared bit
 * for bit with the generator's; last, the .keras is saved as a legacy .h5 (converted to ONNX in turn) and
 * as a TF.js model. Prints one line per step and a JSON summary; exits 1 on a mismatch.
 * Not part of the test run: `node --import tsx tools/soak/big-model.ts [--gb 3] [--dir /tmp]`.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as ort from "onnxruntime-node";
import { Input, Model, layers } from "../../src/api/index.js";
import { writeKerasArchive } from "../../src/formats/keras-zip/write.js";
import { writeOnnxFileExternal } from "../../src/formats/onnx/write-external.js";
import { openModel } from "../../src/formats/open.js";
import { saveModel } from "../../src/formats/save.js";
import { writeTfjsModel } from "../../src/formats/tfjs/write.js";
import type { Graph } from "../../src/ir/graph.js";
import { WeightData } from "../../src/ir/weights.js";
import { peakRssMb } from "../bench/peak-rss.js";

const WIDTH = 4096;
const LAYER_BYTES = (WIDTH * WIDTH + WIDTH) * 4;

/** A weight's values from its seed: xorshift32, the same every time they are made. */
function values(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let s = (seed * 0x9e3779b9) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 32 - 0.5) / 64;
  }
  return out;
}

/** The model: Input(4096) → Dense(4096) × n; every weight made on demand (and droppable again). */
function bigModel(gb: number): Graph {
  const n = Math.max(1, Math.round((gb * 1e9) / LAYER_BYTES));
  const input = Input({ shape: [WIDTH], name: "x" });
  let x = input;
  for (let i = 0; i < n; i++) x = layers.Dense(WIDTH, { name: `dense_${i}` })(x);
  const graph = new Model(input, x, { name: "big" }).graph;
  let seed = 1;
  for (const layer of graph.layers) {
    for (const w of layer.weights ?? []) {
      const mySeed = seed++;
      const size = w.shape.reduce((a, b) => a * b, 1);
      layer.values.set(w.name, new WeightData("float32", w.shape, () => values(size, mySeed)));
    }
  }
  return graph;
}

type Step = "generate" | "to-onnx" | "to-keras" | "run-onnx" | "compare" | "to-h5" | "h5-to-onnx" | "to-tfjs";

async function step(name: Step, gb: number, dir: string): Promise<Record<string, unknown>> {
  const keras = join(dir, "big.keras");
  const onnx = join(dir, "big.onnx");
  const back = join(dir, "back.keras");
  const h5 = join(dir, "big.h5");
  if (name === "generate") await writeKerasArchive(bigModel(gb), keras);
  if (name === "to-onnx") await writeOnnxFileExternal((await openModel(keras)).graph, onnx);
  if (name === "to-keras") await saveModel((await openModel(onnx)).graph, back);
  // The legacy .h5 path: written from the .keras, then converted to ONNX (its own process, its own RSS).
  if (name === "to-h5") await saveModel((await openModel(keras)).graph, h5);
  if (name === "h5-to-onnx") await writeOnnxFileExternal((await openModel(h5)).graph, join(dir, "from-h5.onnx"));
  if (name === "to-tfjs") await writeTfjsModel((await openModel(keras)).graph, join(dir, "tfjs"));
  if (name === "run-onnx") {
    const session = await ort.InferenceSession.create(onnx);
    const x = new ort.Tensor("float32", values(2 * WIDTH, 999), [2, WIDTH]);
    const out = await session.run({ [session.inputNames[0]!]: x });
    const y = out[session.outputNames[0]!]!.data as Float32Array;
    await session.release();
    return { outputs: y.length, finite: y.every(Number.isFinite) };
  }
  if (name === "compare") {
    const want = bigModel(gb);
    const got = (await openModel(back)).graph;
    let weights = 0;
    const mismatched: string[] = [];
    for (const layer of want.layers) {
      const other = got.layers.find((l) => l.name === layer.name);
      for (const [w, data] of layer.values) {
        const a = data.values;
        const b = other?.values.get(w)?.values;
        weights++;
        const same =
          b &&
          Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
        if (!same) mismatched.push(`${layer.name}/${w}`);
        data.release();
        other?.values.get(w)?.release();
      }
    }
    return { weights, mismatched };
  }
  return {};
}

function runStep(
  name: Step,
  gb: number,
  dir: string,
): Record<string, unknown> & { seconds: number; peakRssMb: number } {
  const args = ["--import", "tsx", fileURLToPath(import.meta.url), "--step", name, "--gb", String(gb), "--dir", dir];
  const out = execFileSync(process.execPath, ["--max-old-space-size=8192", ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(out.trim().split("\n").at(-1)!) as Record<string, unknown> & { seconds: number; peakRssMb: number };
}

const arg = (flag: string): string | undefined => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const gb = Number(arg("--gb") ?? 3);
const stepName = arg("--step") as Step | undefined;
if (stepName) {
  const t0 = performance.now();
  const result = await step(stepName, gb, arg("--dir")!);
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ ...result, seconds, peakRssMb: peakRssMb() }));
} else {
  const dir = mkdtempSync(join(arg("--dir") ?? tmpdir(), "kerasgraph-soak-"));
  const summary: Record<string, unknown> = { gb };
  let ok = true;
  try {
    for (const name of [
      "generate",
      "to-onnx",
      "run-onnx",
      "to-keras",
      "compare",
      "to-h5",
      "h5-to-onnx",
      "to-tfjs",
    ] as Step[]) {
      const r = runStep(name, gb, dir);
      summary[name] = r;
      console.log(`${name}: ${r.seconds.toFixed(1)} s, peak RSS ${r.peakRssMb.toFixed(0)} MB ${JSON.stringify(r)}`);
      if (name === "generate") summary.kerasBytes = statSync(join(dir, "big.keras")).size;
      if (name === "compare") ok = (r.mismatched as string[]).length === 0;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(JSON.stringify(summary));
  process.exitCode = ok ? 0 : 1;
}
