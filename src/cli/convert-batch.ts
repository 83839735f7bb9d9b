import { mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, dirname, extname, join, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { FormatError } from "../ir/errors.js";
import type { ConvertOptions, Target } from "./targets.js";
import { type ConvertJob, type ConvertResult, WORKER_ROLE, runJob } from "./convert-worker.js";
import type { CliIO } from "./io.js";

const EXTENSIONS: Record<Target, string> = {
  keras: ".keras",
  h5: ".h5",
  "h5-keras2": ".h5",
  json: ".json",
  "json-keras2": ".json",
  weights: ".weights.h5",
  onnx: ".onnx",
  tfjs: "",
};

/** Generic file names that say nothing of the model: the folder's name is used instead. */
const GENERIC = new Set(["model", "model.weights", "saved_model"]);

/**
 * Where each source goes in `outDir`: its name with the target's extension (a `model.json` or
 * `model.keras` takes its folder's name), `-2`, `-3`… added where two sources would collide.
 */
export function batchDestinations(sources: string[], outDir: string, target: Target): string[] {
  const used = new Set<string>();
  return sources.map((src) => {
    let stem = basename(src, extname(src));
    if (GENERIC.has(stem)) stem = basename(dirname(resolve(src))) || stem;
    let name = stem + EXTENSIONS[target];
    for (let i = 2; used.has(name); i++) name = `${stem}-${i}${EXTENSIONS[target]}`;
    used.add(name);
    return join(outDir, name);
  });
}

/** The worker thread's entry: the built .js, or the .ts source loaded through tsx (development, tests). */
function startWorker(): Worker {
  const entry = new URL(
    import.meta.url.endsWith(".ts") ? "./convert-worker.ts" : "./convert-worker.js",
    import.meta.url,
  );
  const workerData = { role: WORKER_ROLE, entry: entry.href };
  if (!entry.pathname.endsWith(".ts")) return new Worker(entry, { workerData });
  const tsx = import.meta.resolve("tsx/esm/api");
  const boot =
    `const { workerData } = require("node:worker_threads");\n` +
    `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(workerData.entry); });`;
  return new Worker(boot, { eval: true, workerData });
}

/** Runs the jobs on `threads` worker threads (in this thread when none can start), in any order. */
async function runPool(jobs: ConvertJob[], threads: number, done: (r: ConvertResult) => void): Promise<void> {
  const queue = [...jobs];
  const one = (worker: Worker): Promise<void> =>
    new Promise((resolveAll) => {
      let current: ConvertJob | undefined;
      const next = (): void => {
        current = queue.shift();
        if (!current) {
          void worker.terminate().then(() => resolveAll());
          return;
        }
        worker.postMessage(current);
      };
      worker.on("message", (r: ConvertResult) => {
        done(r);
        next();
      });
      worker.on("error", (e) => {
        // The thread died (out of memory, a crash): its file fails, the others go on in this thread.
        if (current)
          done({ id: current.id, ok: false, out: "", error: `worker thread failed: ${e.message}`, ms: 0, memory: 0 });
        void (async () => {
          for (let job = queue.shift(); job; job = queue.shift()) done(await runJob(job));
          resolveAll();
        })();
      });
      next();
    });
  await Promise.all(Array.from({ length: Math.min(threads, jobs.length) }, () => one(startWorker())));
}

const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);

/**
 * `kerasgraph convert A B C --out-dir DIR --to FORMAT`: converts every source into DIR on a pool of
 * worker threads, with a progress line on a terminal and a table at the end. A file that fails is
 * reported in the table and does not stop the others; if any failed, the command fails (exit code 1).
 */
export async function convertBatch(
  sources: string[],
  outDir: string,
  target: Target,
  opts: ConvertOptions,
  io: CliIO,
  threads = Math.min(2, availableParallelism()),
): Promise<ConvertResult[]> {
  mkdirSync(outDir, { recursive: true });
  const dests = batchDestinations(sources, outDir, target).map((d) =>
    target === "weights" && opts.maxShardSize !== undefined ? d.replace(/\.h5$/, ".json") : d,
  );
  const jobs = sources.map((src, id) => ({ id, src, dest: dests[id]!, opts: { ...opts, to: target } }));
  const tty = Boolean((io.stderr as { isTTY?: boolean }).isTTY);
  const results: ConvertResult[] = [];
  const t0 = performance.now();
  await runPool(jobs, threads, (r) => {
    results[r.id] = r;
    const n = results.filter(Boolean).length;
    if (tty) io.stderr.write(`\r[${n}/${jobs.length}] ${basename(jobs[r.id]!.src)}`.padEnd(60));
  });
  if (tty) io.stderr.write(`\r${" ".repeat(60)}\r`);
  const rows = jobs.map((j) => {
    const r = results[j.id]!;
    return [
      r.ok ? "ok" : "FAILED",
      j.src,
      r.ok ? j.dest : (r.error ?? ""),
      `${(r.ms / 1000).toFixed(2)}`,
      mb(r.memory),
    ];
  });
  io.stdout.write(table(["status", "source", "output / error", "s", "MB"], rows));
  const failed = results.filter((r) => !r.ok).length;
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  io.stdout.write(
    `${jobs.length - failed} of ${jobs.length} converted to ${target} in ${seconds} s (${threads} threads)\n`,
  );
  if (failed) throw new FormatError(`${failed} of ${jobs.length} files failed to convert (see the table above).`);
  return results;
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `${cells.map((c, i) => c.padEnd(widths[i]!)).join("  ")}`.trimEnd() + "\n";
  return line(head) + line(widths.map((w) => "-".repeat(w))) + rows.map(line).join("");
}
