import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";

/**
 * The CRC-32 of a range of a file, summed on a worker thread while this thread goes on: the range may
 * still be growing (a writer appending a stored zip member says how far it has written with
 * `advance`) or be known at once (`finish` right away: a member of an archive being read). A
 * stored member's CRC over ResNet50's 103 MB is 30–60 ms of one thread here (Node's zlib CRC-32 runs at
 * ~3.4 GB/s); the worker reads the bytes back from the page cache on another core.
 *
 * The ranges go to one kept worker, one range at a time (a range asked for while it is busy gets a
 * worker of its own, which ends with it). Starting a Node worker costs ~30–40 ms of CPU, as much as the
 * CRC itself, so the kept one waits for the next range and ends after 10 s without one (a batch
 * conversion's thread, a server, convert one file after another on it); `prestartCrcThread()` starts it
 * ahead (the conversion benchmark does, before its timed run).
 *
 * `result()` blocks until the sum is in; it is null when the worker cannot report (it failed to start
 * or was stopped), and the caller sums the range itself.
 */
export class CrcThread {
  /** Status words: [state, crc, started, generation (bumped on each advance), cancelled]. */
  private readonly state = new Int32Array(new SharedArrayBuffer(20));
  /** [written so far, end of the range or -1 while it is open], in bytes from the file's start. */
  private readonly marks = new BigInt64Array(new SharedArrayBuffer(16));
  private readonly port: MessagePort;
  private readonly worker: CrcWorker;
  private gone = false;

  private constructor(path: string, start: number, initialCrc: number) {
    Atomics.store(this.marks, 0, BigInt(start));
    Atomics.store(this.marks, 1, -1n);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    port1.unref();
    this.worker = CrcWorker.take();
    const { state, marks } = this;
    this.worker.run(this, { path, start, initialCrc: initialCrc >>> 0, state, marks, port: port2 }, [port2]);
  }

  /**
   * Starts summing `path` from byte `start`, continuing the CRC `initialCrc` of what came before; null
   * where worker threads cannot be made (the caller sums in its own thread).
   */
  static start(path: string, start: number, initialCrc = 0): CrcThread | null {
    try {
      return new CrcThread(path, start, initialCrc);
    } catch {
      return null;
    }
  }

  /** The file holds the range's bytes up to `end` now. */
  advance(end: number): void {
    Atomics.store(this.marks, 0, BigInt(end));
    Atomics.add(this.state, 3, 1);
    Atomics.notify(this.state, 3);
  }

  /** The range ends at `end` (its bytes are all in the file). */
  finish(end: number): void {
    Atomics.store(this.marks, 1, BigInt(end));
    this.advance(end);
  }

  /**
   * The CRC once the worker has summed up to the finished end, or why it could not: the file ended
   * before it ("short"), or reading it failed (the error's message); null where the worker cannot
   * report (failed or never started within START_LIMIT_MS).
   */
  result(): { crc: number } | { short: true } | { failed: string } | null {
    const { state } = this;
    for (let waited = 0; Atomics.load(state, 0) === RUNNING; waited += WAIT_SLICE_MS) {
      // A worker that failed, or never started, cannot report (its events wait for this thread).
      if (this.gone || (waited >= START_LIMIT_MS && Atomics.load(state, 2) === 0)) {
        this.cancel();
        return null;
      }
      Atomics.wait(state, 0, RUNNING, WAIT_SLICE_MS);
    }
    const status = Atomics.load(state, 0);
    const why = status === FAILED ? (receiveMessageOnPort(this.port)?.message as string | undefined) : undefined;
    this.port.close();
    if (status === DONE) return { crc: Atomics.load(state, 1) >>> 0 };
    if (status === SHORT) return { short: true };
    return { failed: why ?? "unknown error" };
  }

  /** Stops the sum (its result is not wanted, or will not come); the worker goes on to the next range. */
  cancel(): void {
    this.gone = true;
    Atomics.store(this.state, 4, 1);
    Atomics.add(this.state, 3, 1);
    Atomics.notify(this.state, 3);
    this.port.close();
  }

  /** The worker running this range failed. */
  lost(): void {
    this.gone = true;
  }

  get cancelled(): boolean {
    return Atomics.load(this.state, 4) === 1;
  }
}

/**
 * One Node worker summing ranges, one at a time. `bell` is shared with it: [jobs posted, its state].
 * A job is posted to `jobs` before the count is bumped, so the worker, which reads the count before it
 * looks for a job, never sleeps through one. Kept and idle, it ends after `idleExitMs` unless it is
 * claimed first: both sides move the state word from IDLE with compareExchange, so only one of them wins.
 */
class CrcWorker {
  private static kept: CrcWorker | null = null;

  private readonly bell = new Int32Array(new SharedArrayBuffer(8));
  private readonly jobs: MessagePort;
  private readonly worker: Worker;
  private current: CrcThread | null = null;
  private failed = false;

  private constructor(
    /** Kept between ranges (else it ends after its first). */
    private readonly keep: boolean,
    state: number,
  ) {
    Atomics.store(this.bell, 1, state);
    const { port1, port2 } = new MessageChannel();
    this.jobs = port1;
    const workerData = { jobs: port2, bell: this.bell, keep, idleMs: idleExitMs };
    // No execArgv: the worker needs none of this process's loaders (tsx), which would slow its start.
    this.worker = new Worker(WORKER, { eval: true, execArgv: [], workerData, transferList: [port2] });
    this.worker.once("error", () => {
      this.failed = true;
      this.current?.lost();
    });
    this.worker.unref();
    port1.unref();
  }

  /** A worker for one range: the kept one when it is idle, a new kept one when it is gone, else one of its own. */
  static take(): CrcWorker {
    const kept = CrcWorker.kept;
    if (kept && !kept.failed) {
      let was = Atomics.compareExchange(kept.bell, 1, IDLE, BUSY);
      if (was === BUSY && kept.current?.cancelled) {
        // Its range was cancelled: it is about to be free (it checks between reads, or is woken).
        Atomics.wait(kept.bell, 1, BUSY, WAIT_SLICE_MS);
        was = Atomics.compareExchange(kept.bell, 1, IDLE, BUSY);
      }
      if (was === IDLE) return kept;
      if (was === BUSY) return new CrcWorker(false, BUSY);
    }
    return (CrcWorker.kept = new CrcWorker(true, BUSY));
  }

  /** Starts the kept worker, idle, unless one is there. */
  static prestart(): void {
    const kept = CrcWorker.kept;
    if (kept && !kept.failed && Atomics.load(kept.bell, 1) !== EXITED) return;
    CrcWorker.kept = new CrcWorker(true, IDLE);
  }

  run(thread: CrcThread, job: object, transfer: MessagePort[]): void {
    this.current = thread;
    this.jobs.postMessage(job, transfer);
    Atomics.add(this.bell, 0, 1);
    Atomics.notify(this.bell, 0);
  }
}

/**
 * Starts the worker thread that sums large zip members' CRCs, so that the first one does not wait for it;
 * false where no worker thread can be made (each range is then summed by its caller, as always then).
 */
export function prestartCrcThread(): boolean {
  try {
    CrcWorker.prestart();
    return true;
  } catch {
    return false;
  }
}

const RUNNING = 0;
const DONE = 1;
const SHORT = 2;
const FAILED = 3;
/** The kept worker's states. */
const IDLE = 0;
const BUSY = 1;
const EXITED = 2;
/** A worker not running after this long is taken as unable to start: the caller sums in its own thread. */
const START_LIMIT_MS = 5000;
const WAIT_SLICE_MS = 50;
/** How long the kept worker waits for another range before it ends. */
let idleExitMs = 10_000;

/** Sets how long a kept worker waits for another range (tests shorten it); applies to workers started later. */
export function setCrcThreadIdleMs(ms: number): void {
  idleExitMs = ms;
}

/**
 * The worker's code, plain CommonJS (no loader, no TypeScript), so it starts the same from src/ and
 * dist/. For each job it sums what is written and waits (on the generation word) for more until the
 * range's end is set and reached, or the job is cancelled.
 */
const WORKER = `
const { workerData, receiveMessageOnPort } = require("node:worker_threads");
const { closeSync, openSync, readSync } = require("node:fs");
const { crc32 } = require("node:zlib");
const { jobs, bell, keep, idleMs } = workerData;
const buf = new Uint8Array(${2 ** 20});

function sum({ path, start, initialCrc, state, marks, port }) {
  Atomics.store(state, 2, 1);
  let status = ${FAILED};
  let crc = initialCrc;
  try {
    const fd = openSync(path, "r");
    try {
      for (let at = start; ; ) {
        if (Atomics.load(state, 4)) break;
        const generation = Atomics.load(state, 3);
        const end = Number(Atomics.load(marks, 1));
        const written = end >= 0 ? end : Number(Atomics.load(marks, 0));
        if (at < written) {
          const n = readSync(fd, buf, 0, Math.min(buf.length, written - at), at);
          if (n === 0) {
            status = ${SHORT};
            break;
          }
          crc = crc32(buf.subarray(0, n), crc);
          at += n;
        } else if (end >= 0) {
          status = ${DONE};
          break;
        } else {
          Atomics.wait(state, 3, generation, ${WAIT_SLICE_MS});
        }
      }
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    status = ${FAILED};
    port.postMessage(String(e && e.message));
  } finally {
    // Idle before the result is out: a caller that goes straight on to its next range finds it free.
    if (keep) {
      Atomics.store(bell, 1, ${IDLE});
      Atomics.notify(bell, 1);
    }
    Atomics.store(state, 1, crc | 0);
    Atomics.store(state, 0, status);
    Atomics.notify(state, 0);
    port.close();
  }
}

for (;;) {
  const posted = Atomics.load(bell, 0);
  const job = receiveMessageOnPort(jobs);
  if (job) {
    sum(job.message);
    if (!keep) break;
  } else if (
    Atomics.wait(bell, 0, posted, idleMs) === "timed-out" &&
    Atomics.compareExchange(bell, 1, ${IDLE}, ${EXITED}) === ${IDLE}
  ) {
    break;
  }
}
jobs.close();
`;
