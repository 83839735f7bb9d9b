import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";

/**
 * The CRC-32 of a range of a file, summed on a worker thread while this thread goes on: the range may
 * still be growing (a writer appending a stored zip member says how far it has written with
 * `advance`) or be known at once (`finish` right away: a member of an archive being read). A
 * stored member's CRC over ResNet50's 103 MB is 30–60 ms of one thread here (Node's zlib CRC-32 runs at
 * ~3.4 GB/s); the worker reads the bytes back from the page cache on another core.
 *
 * `result()` blocks until the sum is in; it is null when the worker cannot report (it failed to start
 * or was stopped), and the caller sums the range itself.
 */
export class CrcThread {
  /** Status words: [state, crc, started, generation (bumped on each advance)]. */
  private readonly state = new Int32Array(new SharedArrayBuffer(16));
  /** [written so far, end of the range or -1 while it is open], in bytes from the file's start. */
  private readonly marks = new BigInt64Array(new SharedArrayBuffer(16));
  private readonly port: MessagePort;
  private readonly worker: Worker;
  private gone = false;

  private constructor(path: string, start: number, initialCrc: number) {
    Atomics.store(this.marks, 0, BigInt(start));
    Atomics.store(this.marks, 1, -1n);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const { state, marks } = this;
    const workerData = { path, start, initialCrc: initialCrc >>> 0, state, marks, port: port2 };
    // No execArgv: the worker needs none of this process's loaders (tsx), which would slow its start.
    this.worker = new Worker(WORKER, { eval: true, execArgv: [], workerData, transferList: [port2] });
    this.worker.once("error", () => (this.gone = true));
    this.worker.unref();
    port1.unref();
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

  /** Stops the worker (its result is not wanted, or will not come). */
  cancel(): void {
    this.gone = true;
    this.port.close();
    void this.worker.terminate();
  }
}

const RUNNING = 0;
const DONE = 1;
const SHORT = 2;
const FAILED = 3;
/** A worker not running after this long is taken as unable to start: the caller sums in its own thread. */
const START_LIMIT_MS = 5000;
const WAIT_SLICE_MS = 50;

/**
 * The worker's code, plain CommonJS (no loader, no TypeScript), so it starts the same from src/ and
 * dist/. It sums what is written and waits (on the generation word) for more until the range's end is
 * set and reached.
 */
const WORKER = `
const { workerData } = require("node:worker_threads");
const { closeSync, openSync, readSync } = require("node:fs");
const { crc32 } = require("node:zlib");
const { path, start, initialCrc, state, marks, port } = workerData;
Atomics.store(state, 2, 1);
let status = ${FAILED};
let crc = initialCrc;
try {
  const fd = openSync(path, "r");
  try {
    const buf = new Uint8Array(${2 ** 20});
    for (let at = start; ; ) {
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
  Atomics.store(state, 1, crc | 0);
  Atomics.store(state, 0, status);
  Atomics.notify(state, 0);
}
`;
