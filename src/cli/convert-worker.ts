/**
 * A `convert --out-dir` worker thread: converts the files its parent sends, one at a time, and answers
 * each with what `convert` printed, or the one-line error `kerasgraph convert SRC DEST` would print.
 */
import { parentPort, workerData } from "node:worker_threads";
import { convertOne } from "./convert-one.js";
import type { ConvertOptions } from "./targets.js";
import { reportError } from "./report-error.js";

export interface ConvertJob {
  id: number;
  src: string;
  dest: string;
  opts: ConvertOptions;
}

export interface ConvertResult {
  id: number;
  ok: boolean;
  /** What the conversion printed (stdout, then warnings). */
  out: string;
  /** The error line, without the `kerasgraph: ` prefix, when it failed. */
  error?: string;
  ms: number;
  /** This thread's heap + external memory after the file, in bytes (the process's RSS is shared). */
  memory: number;
}

/** Runs one job with output captured: the worker's body, also used when no thread can be started. */
export async function runJob(job: ConvertJob): Promise<ConvertResult> {
  let out = "";
  let err = "";
  const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } };
  const t0 = performance.now();
  try {
    await convertOne(job.src, job.dest, job.opts, io);
    const m = process.memoryUsage();
    return { id: job.id, ok: true, out: out + err, ms: performance.now() - t0, memory: m.heapUsed + m.external };
  } catch (e) {
    const line = { stdout: io.stdout, stderr: { write: (s: string) => (err += s) } };
    err = "";
    reportError(e, line, false);
    const m = process.memoryUsage();
    const error = err.replace(/^kerasgraph: /, "").trim();
    return { id: job.id, ok: false, out, error, ms: performance.now() - t0, memory: m.heapUsed + m.external };
  }
}

/** Only a thread the batch started listens (a test runner's own worker threads have a parentPort too). */
export const WORKER_ROLE = "kerasgraph-convert";

if ((workerData as { role?: string } | null)?.role === WORKER_ROLE)
  parentPort?.on("message", (job: ConvertJob) => {
    void runJob(job).then((r) => parentPort!.postMessage(r));
  });
