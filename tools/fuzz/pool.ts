import { type ChildProcess, fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { FuzzFormat } from "./corpus.js";
import type { JobSpec, Job, Reply, ThrownError } from "./protocol.js";
import type { Outcome } from "./targets.js";

/** How a job ended. Anything but "ok" is a finding (a "hang" only once confirmed by the caller). */
export type JobResult =
  | { status: "ok"; outcome: Outcome }
  | { status: "error"; error: ThrownError }
  | { status: "hang"; ms: number; reader: string }
  | { status: "memory"; mb: number; reader: string }
  | { status: "crash"; detail: string; reader: string };

export interface PoolOptions {
  jobs: number;
  /** A job running longer than this (wall clock) is killed as a hang. */
  timeoutMs: number;
  /**
   * A case that grows its worker's resident memory by more than this (over the worker's own, once warm),
   * or holds more ArrayBuffers, is a finding: the worker is killed (or, seen after the job, retired).
   */
  memoryMb: number;
  /** The formats the workers warm up on. */
  formats: readonly FuzzFormat[];
}

interface Worker {
  child: ChildProcess;
  ready: Promise<void>;
  /** Resident memory once warmed up, in MiB. */
  baselineMb: number;
  stderr: string;
  busy: boolean;
}

const WORKER = join(import.meta.dirname, "worker.ts");

/**
 * Child processes that run fuzz jobs one at a time each, so that a hang can be killed (a worker thread
 * stuck in a synchronous loop cannot be interrupted from inside, a process can) and memory measured
 * per worker. A killed or crashed worker is replaced; the pool keeps `jobs` of them.
 */
export class FuzzPool {
  private readonly workers: Worker[] = [];
  private readonly waiting: ((w: Worker) => void)[] = [];
  private nextId = 0;
  private closed = false;

  constructor(private readonly options: PoolOptions) {
    for (let i = 0; i < options.jobs; i++) this.workers.push(this.spawn());
  }

  async run(job: JobSpec): Promise<JobResult> {
    const worker = await this.acquire();
    const result = await this.dispatch(worker, { ...job, id: this.nextId++ } as Job);
    if (result.status === "ok" || result.status === "error") this.release(worker);
    else this.replace(worker);
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((done) => {
            if (w.child.exitCode !== null || w.child.signalCode !== null) return done();
            w.child.once("exit", () => done());
            w.child.kill("SIGKILL");
          }),
      ),
    );
  }

  private spawn(): Worker {
    const child = fork(WORKER, [], {
      execArgv: ["--import", "tsx", `--max-old-space-size=${this.options.memoryMb}`],
      env: { ...process.env, KERASGRAPH_FUZZ_FORMATS: this.options.formats.join(",") },
      serialization: "advanced",
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    const worker: Worker = { child, stderr: "", busy: false, ready: Promise.resolve(), baselineMb: 0 };
    child.stderr!.on("data", (d: Buffer) => (worker.stderr = (worker.stderr + d.toString()).slice(-4000)));
    worker.ready = new Promise((ok, fail) => {
      const onMessage = (m: Reply) => {
        if (m.type !== "ready") return;
        worker.baselineMb = m.rssMb;
        child.off("exit", onExit);
        ok();
      };
      const onExit = (code: number | null) => {
        if (this.closed)
          ok(); // killed by close(): nothing to report
        else fail(new Error(`fuzz worker exited (${code}) before it was ready:\n${worker.stderr}`));
      };
      child.once("message", onMessage);
      child.once("exit", onExit);
    });
    return worker;
  }

  private async acquire(): Promise<Worker> {
    const free = this.workers.find((w) => !w.busy);
    if (!free) return new Promise((resolve) => this.waiting.push(resolve));
    free.busy = true;
    await free.ready;
    return free;
  }

  /** Hands the worker to the next job waiting, or marks it free. */
  private release(worker: Worker): void {
    const next = this.waiting.shift();
    worker.busy = next !== undefined;
    if (next) void worker.ready.then(() => next(worker));
  }

  private replace(worker: Worker): void {
    worker.child.kill("SIGKILL");
    const index = this.workers.indexOf(worker);
    if (this.closed) return;
    const fresh = this.spawn();
    this.workers[index] = fresh;
    this.release(fresh);
  }

  private dispatch(worker: Worker, job: Job): Promise<JobResult> {
    const { child } = worker;
    const started = Date.now();
    let reader = "?";
    return new Promise((resolve) => {
      const finish = (result: JobResult) => {
        clearTimeout(timer);
        clearInterval(poll);
        child.off("message", onMessage);
        child.off("exit", onExit);
        resolve(result);
      };
      const onMessage = (m: Reply) => {
        if (m.type === "ready" || m.id !== job.id) return;
        if (m.type === "reader") {
          reader = m.reader;
          return;
        }
        const grown = m.rssMb - worker.baselineMb;
        if (grown > this.options.memoryMb || m.arrayBuffersMb > this.options.memoryMb) {
          finish({ status: "memory", mb: Math.max(grown, m.arrayBuffersMb), reader });
        } else if (m.type === "done") finish({ status: "ok", outcome: m.outcome });
        else finish({ status: "error", error: m.error });
      };
      const onExit = (code: number | null, signal: string | null) =>
        finish({
          status: "crash",
          detail: `worker exited (code ${code}, signal ${signal}): ${worker.stderr.slice(-1500)}`,
          reader,
        });
      const timer = setTimeout(
        () => finish({ status: "hang", ms: Date.now() - started, reader }),
        this.options.timeoutMs,
      );
      const poll = setInterval(() => {
        const grown = residentMb(child.pid) - worker.baselineMb;
        if (grown > this.options.memoryMb) finish({ status: "memory", mb: Math.round(grown), reader });
      }, 50);
      child.on("message", onMessage);
      child.once("exit", onExit);
      child.send(job);
    });
  }
}

/** A process's resident memory in MiB, from /proc (0 where there is none: the worker's own report still counts). */
function residentMb(pid: number | undefined): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}
