/**
 * Prepares the "does real Keras load what we write?" check (tools/keras-check/README.md).
 *
 * Writes `.keras-check/` (git-ignored): every file kerasgraph writes for the fixture models, by every route
 * (cross-format conversions and round trips through ONNX and TF.js), the inputs to predict on, the
 * predictions Keras must reproduce, and `manifest.json` listing them for `keras_loads_ours.py`, which runs
 * on a machine with real Keras. Predictions come from Keras itself where the fixtures have them (the
 * keras3 cases' `out/`, the real files' `.ref/out/`), else from onnxruntime running the original file
 * (an .onnx as it is; a Keras file Keras 3 refuses, through our ONNX export).
 *
 *   node --import tsx tools/keras-check/prepare.ts [--only SUBSTRING]
 */
import { mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { existsSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { convertOne } from "../../src/cli/convert-one.js";
import type { ConvertOptions } from "../../src/cli/targets.js";
import { loadModel } from "../../src/exec/ort/model.js";
import { openModel } from "../../src/formats/open.js";
import type { InputSpec } from "../../src/exec/ort/tensors.js";
import { ARRAY_TYPES, ndarray, type NdArray } from "../../src/formats/npy/array.js";
import { writeNpyFile } from "../../src/formats/npy/write.js";
import { Rng } from "../fuzz/rng.js";

const ROOT = join(import.meta.dirname, "../..");
const OUT = join(ROOT, ".keras-check");
const KERAS3 = join(ROOT, "fixtures/keras3");
const REAL = join(ROOT, "fixtures/real");
/**
 * Keras's save_weights(max_shard_size=) in GB (of 1024³ bytes), smallest first: the first a model's largest
 * variable fits in (Keras refuses a variable past the limit, and so do we), so that most are written in
 * several shards.
 */
const SHARD_GB = ["0.0001", "0.0005", "0.002"];
/** Real files past this size stay out: the device machine takes 64 MiB of files in all. */
const MAX_REAL_BYTES = 2_000_000;

/** How Keras is to open a file: `load_model(file)`, or `model_from_json(json)` then `load_weights(weights)`. */
type Load = { kind: "model"; file: string } | { kind: "json+weights"; json: string; weights: string };

interface Entry {
  id: string;
  source: string;
  route: string;
  load: Load;
  inputs: string[];
  expected: string[];
  /** Who made `expected`: Keras 3.16 on the source file, or onnxruntime on it. */
  expectedFrom: "keras" | "onnxruntime";
}

const quiet = { stdout: { write: () => true }, stderr: { write: () => true } } as never;
const rel = (p: string) => relative(ROOT, p);

async function convert(src: string, dest: string, opts: ConvertOptions = {}): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  await convertOne(src, dest, opts, quiet);
}

/** One row per route that failed here (our limitation, reported beside what Keras says of the rest). */
const notWritten: { id: string; route: string; error: string }[] = [];
const manifest: Entry[] = [];

async function attempt(
  id: string,
  route: string,
  make: () => Promise<Load>,
  base: Omit<Entry, "id" | "route" | "load">,
) {
  try {
    manifest.push({ id, route, load: await make(), ...base });
  } catch (err) {
    notWritten.push({ id, route, error: String((err as Error).message).slice(0, 400) });
  }
}

/** Every route out of a Keras 3.16 case (`fixtures/keras3/<set>/<name>`), checked against Keras's out/. */
async function keras3Case(caseDir: string): Promise<void> {
  const id = rel(caseDir).replace("fixtures/keras3/", "");
  const kerasFile = join(caseDir, "model.keras");
  const h5File = join(caseDir, "model.h5");
  const meta = JSON.parse(await readFile(join(caseDir, "case.json"), "utf8"));
  const base = {
    source: rel(kerasFile),
    inputs: meta.inputs.map((i: { file: string }) => rel(join(caseDir, i.file))),
    expected: meta.outputs.map((o: { file: string }) => rel(join(caseDir, o.file))),
    expectedFrom: "keras" as const,
  };
  const d = join(OUT, "cases", id);
  const model = (file: string): Load => ({ kind: "model", file: rel(file) });
  // Controls: Keras opening its own files, so that a difference Keras has with itself is not laid on us.
  manifest.push({ id, route: "control: Keras's .keras", load: model(kerasFile), ...base });
  if (existsSync(h5File))
    manifest.push({ id, route: "control: Keras's .h5", load: model(h5File), ...base, source: rel(h5File) });
  if (existsSync(h5File)) {
    await attempt(
      id,
      "h5→keras",
      async () => (await convert(h5File, join(d, "from_h5.keras")), model(join(d, "from_h5.keras"))),
      {
        ...base,
        source: rel(h5File),
      },
    );
  }
  await attempt(
    id,
    "keras→h5",
    async () => (await convert(kerasFile, join(d, "ours.h5")), model(join(d, "ours.h5"))),
    base,
  );
  await attempt(
    id,
    "keras→h5-keras2",
    async () => (await convert(kerasFile, join(d, "keras2.h5"), { to: "h5-keras2" }), model(join(d, "keras2.h5"))),
    base,
  );
  const json = join(d, "model.json");
  await attempt(
    id,
    "keras→json+weights.h5",
    async () => {
      await convert(kerasFile, json, { to: "json" });
      await convert(kerasFile, join(d, "model.weights.h5"), { to: "weights" });
      return { kind: "json+weights", json: rel(json), weights: rel(join(d, "model.weights.h5")) };
    },
    base,
  );
  await attempt(
    id,
    "keras→json+sharded weights",
    async () => {
      if (!existsSync(json)) await convert(kerasFile, json, { to: "json" });
      await shardedWeights(kerasFile, join(d, "sharded", "model.weights.json"));
      return { kind: "json+weights", json: rel(json), weights: rel(join(d, "sharded", "model.weights.json")) };
    },
    base,
  );
  await attempt(
    id,
    "keras→onnx→keras",
    async () => {
      const tmp = join(OUT, "tmp", id, "model.onnx");
      await convert(kerasFile, tmp);
      await convert(tmp, join(d, "via_onnx.keras"));
      return model(join(d, "via_onnx.keras"));
    },
    base,
  );
  await attempt(
    id,
    "keras→tfjs→keras",
    async () => {
      const tmp = join(OUT, "tmp", id, "tfjs");
      await convert(kerasFile, tmp, { to: "tfjs" });
      await convert(join(tmp, "model.json"), join(d, "via_tfjs.keras"));
      return model(join(d, "via_tfjs.keras"));
    },
    base,
  );
}

/** Writes `dest` with the smallest of SHARD_GB that the model's largest variable fits in. */
async function shardedWeights(src: string, dest: string): Promise<void> {
  for (const [i, gb] of SHARD_GB.entries()) {
    try {
      return await convert(src, dest, { to: "weights", maxShardSize: gb });
    } catch (err) {
      if (i === SHARD_GB.length - 1 || !/over the maximum/.test((err as Error).message)) throw err;
    }
  }
}

/**
 * Random inputs for a model's input specs, as realref.py makes them: batch 2, unknown dims 8; a batch size
 * the Keras model fixes (a stateful RNN's) is kept.
 */
function inputsFor(specs: InputSpec[], batches: (number | null)[], seed: number): NdArray[] {
  const rng = new Rng(seed);
  const rand = () => rng.next();
  return specs.map((s, k) => {
    const shape = s.shape.map((d, i) => d ?? (i === 0 ? (batches[k] ?? 2) : 8));
    const n = shape.reduce((a, b) => a * b, 1);
    if (n > 1_000_000) throw new Error(`input '${s.name}' of fixed shape (${shape.join(", ")}) is too large to check`);
    const data = new ARRAY_TYPES[s.dtype]!(n);
    for (let i = 0; i < n; i++) {
      if (data instanceof BigInt64Array || data instanceof BigUint64Array) data[i] = BigInt(Math.floor(rand() * 5));
      else if (s.dtype.includes("int")) data[i] = Math.floor(rand() * 5);
      else {
        const u = Math.max(rand(), 1e-12);
        data[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand()); // a standard normal sample
      }
    }
    return ndarray(s.dtype, shape, data as never);
  });
}

/** A real-world file converted to .keras: Keras's own predictions if it could open the source, else ORT's. */
async function realFile(src: string, weightsFile: string | undefined, index: number): Promise<void> {
  const id = `real/${rel(src).replace("fixtures/real/", "")}`;
  const d = join(OUT, "cases", id);
  const ref = `${src}.ref`;
  let inputs: string[];
  let expected: string[];
  let expectedFrom: Entry["expectedFrom"] = "keras";
  const refCase = existsSync(join(ref, "case.json"))
    ? JSON.parse(await readFile(join(ref, "case.json"), "utf8"))
    : null;
  try {
    if (refCase?.ok && (await sameRanks(src, weightsFile, refCase))) {
      inputs = refCase.inputs.map((i: { file: string }) => rel(join(ref, i.file)));
      expected = refCase.outputs.map((o: { file: string }) => rel(join(ref, o.file)));
    } else {
      expectedFrom = "onnxruntime";
      const model = await loadModel(src, weightsFile ? { weightsFile } : {});
      try {
        const batches = model.graph?.inputs.map((t) => t.shape[0] ?? null) ?? [];
        const xs = inputsFor(await model.inputSpecs(), batches, 2026 + index);
        const ys = await model.predict(xs);
        inputs = [];
        expected = [];
        for (const [i, x] of xs.entries()) inputs.push(rel(await save(join(d, "in", `${i}.npy`), x)));
        for (const [i, y] of ys.entries()) expected.push(rel(await save(join(d, "out", `${i}.npy`), y)));
      } finally {
        await model.dispose();
      }
    }
  } catch (err) {
    notWritten.push({ id, route: "predict (reference)", error: String((err as Error).message).slice(0, 400) });
    return;
  }
  const dest = join(d, "ours.keras");
  const make = async (): Promise<Load> => {
    await convert(src, dest, weightsFile ? { weights: weightsFile } : {});
    const { size } = await stat(dest);
    if (size > MAX_REAL_BYTES) {
      await rm(d, { recursive: true });
      throw new Error(`written (${(size / 1e6).toFixed(1)} MB), but past the ${MAX_REAL_BYTES / 1e6} MB sent per file`);
    }
    return { kind: "model", file: rel(dest) };
  };
  await attempt(id, "→keras", make, {
    source: rel(src),
    inputs,
    expected,
    expectedFrom,
  });
}

/**
 * Whether Keras's reference inputs have the ranks of the model as we read it. Keras 3 rebuilds some
 * tf.keras Sequential models one rank too high (`input_shape` with the batch dimension kept: Marabou's
 * fc_2-2sigmoids-3.h5 got 3-D inputs); those are checked against onnxruntime on inputs of the declared rank.
 */
async function sameRanks(src: string, weightsFile: string | undefined, refCase: { inputs: { shape: number[] }[] }) {
  const { graph } = await openModel(src, { weights: false, ...(weightsFile ? { weightsFile } : {}) });
  return graph.inputs.every((t, i) => refCase.inputs[i]?.shape.length === t.shape.length);
}

async function save(path: string, a: NdArray): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeNpyFile(path, a);
  return path;
}

/** The real/ files kerasgraph reads as models: Keras files, architecture JSON with its weights, TF.js, ONNX. */
async function realSources(): Promise<{ src: string; weights?: string }[]> {
  const tsv = (await readFile(join(REAL, "SOURCES.tsv"), "utf8")).trim().split("\n").slice(1);
  const files = tsv.map((line) => join(REAL, line.split("\t")[0]!));
  const out: { src: string; weights?: string }[] = [];
  for (const f of files) {
    const name = basename(f);
    if (/\.(keras|h5|hdf5)$/.test(name) && !/weights/.test(name) && !existsSync(join(dirname(f), "model.json"))) {
      out.push({ src: f });
    } else if (/\.(keras|h5)$/.test(name) && existsSync(join(dirname(f), "model.json"))) {
      out.push({ src: f }); // a Keras file beside its TF.js export: both are checked
    } else if (name === "model.json" || name.endsWith(".onnx")) {
      out.push({ src: f });
    } else if (name.endsWith(".json")) {
      const stem = name.slice(0, -5);
      const weights = [`${stem}_weights.h5`, `${stem.replace("architecture", "weights")}.h5`]
        .map((w) => join(dirname(f), w))
        .find((w) => existsSync(w));
      if (weights) out.push({ src: f, weights });
    }
  }
  return out;
}

async function main(): Promise<void> {
  const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1]! : "";
  await rm(OUT, { recursive: true, force: true });
  for (const set of ["seed", "zoo", "layers"]) {
    for (const name of (await readdir(join(KERAS3, set))).sort()) {
      const caseDir = join(KERAS3, set, name);
      if (!`${set}/${name}`.includes(only) || !existsSync(join(caseDir, "out"))) continue;
      if (name === "ticket_classifier") continue; // 5.6 MB per copy: past the device's 64 MiB transfer with the rest
      if (name === "custom_dense") continue; // a custom class: the CLI reads it only with the class registered (test/api)
      await keras3Case(caseDir);
    }
  }
  for (const [i, { src, weights }] of (await realSources()).entries()) {
    if (rel(src).includes(only) && (await stat(src)).size <= MAX_REAL_BYTES) await realFile(src, weights, i);
  }
  await rm(join(OUT, "tmp"), { recursive: true, force: true });
  await writeFile(join(OUT, "manifest.json"), JSON.stringify({ entries: manifest, notWritten }, null, 1));
  process.stdout.write(`${manifest.length} files to check, ${notWritten.length} routes not written here\n`);
  for (const n of notWritten) process.stdout.write(`  not written: ${n.id} ${n.route}: ${n.error.slice(0, 160)}\n`);
}

await main();
