import { closeSync, openSync } from "node:fs";
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from "node:worker_threads";
import { FormatError } from "../../ir/errors.js";
import { crcOfRange, type ZipEntry, type ZipReader } from "./zip-reader.js";

/**
 * The CRC-32 check of a large stored member, run on a worker thread while the archive is read and its
 * weights are used: reading ResNet50's 103 MB member through once more for its CRC took ~40 ms of a
 * ~230 ms `.keras → .onnx` conversion. `wait()` blocks until the result is in and throws the archive's
 * FormatError if the member is damaged; the weights' reads call it (see `verify` in hdf5/reader.ts), and
 * writers that defer it (`Scratch.confirm`) call it before their output is renamed into place.
 */
export interface MemberCheck {
  readonly wait: () => void;
  /** Stops the worker: the member is read some other way, or not at all (a later `wait` checks it here). */
  cancel(): void;
}

/** Below this size a member is checked before the archive's read returns: a thread would cost more. */
let backgroundMinBytes = 16 * 2 ** 20;

/** Sets the size from which members are checked on a worker thread (tests check small archives so). */
export function setBackgroundCheckMinBytes(bytes: number): void {
  backgroundMinBytes = bytes;
}

/** Status words shared with the worker: [state, crc, started]. */
const RUNNING = 0;
const DONE = 1;
const SHORT = 2;
const FAILED = 3;
/** A worker not running after this long is taken as unable to start: the check is made in this thread. */
const START_LIMIT_MS = 5000;
const WAIT_SLICE_MS = 50;

/** The worker's code, plain CommonJS (no loader, no TypeScript), so it starts the same from src/ and dist/. */
const WORKER = `
const { workerData } = require("node:worker_threads");
const { closeSync, openSync, readSync } = require("node:fs");
const { crc32 } = require("node:zlib");
const { path, start, size, state, port } = workerData;
Atomics.store(state, 2, 1);
let status = ${FAILED};
let crc = 0;
try {
  const fd = openSync(path, "r");
  try {
    const buf = new Uint8Array(Math.min(${2 ** 20}, Math.max(size, 1)));
    status = ${DONE};
    for (let at = 0; at < size;) {
      const n = readSync(fd, buf, 0, Math.min(buf.length, size - at), start + at);
      if (n === 0) {
        status = ${SHORT};
        break;
      }
      crc = crc32(buf.subarray(0, n), crc);
      at += n;
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

/**
 * Starts checking a stored member's CRC on a worker thread; null for a member under
 * `backgroundMinBytes` (the caller checks it now, with `zip.verify`).
 */
export function startMemberCheck(zip: ZipReader, entry: ZipEntry): MemberCheck | null {
  if (entry.size < backgroundMinBytes) return null;
  return new BackgroundCheck(zip, entry, zip.dataOffset(entry));
}

class BackgroundCheck implements MemberCheck {
  private readonly state = new Int32Array(new SharedArrayBuffer(12));
  private readonly port: MessagePort;
  private readonly worker: Worker | null = null;
  /** The worker failed or was stopped: it will not report. */
  private workerGone = false;
  private result: { error: Error | null } | null = null;

  constructor(
    private readonly zip: ZipReader,
    private readonly entry: ZipEntry,
    private readonly start: number,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const workerData = { path: zip.path, start, size: entry.size, state: this.state, port: port2 };
    try {
      // No execArgv: the worker needs none of this process's loaders (tsx), which would slow its start.
      this.worker = new Worker(WORKER, { eval: true, execArgv: [], workerData, transferList: [port2] });
      this.worker.once("error", () => (this.workerGone = true));
      this.worker.unref();
    } catch {
      this.workerGone = true; // no worker threads here: wait() checks in this thread
    }
    port1.unref();
  }

  readonly wait = (): void => {
    this.result ??= this.settle();
    if (this.result.error) throw this.result.error;
  };

  cancel(): void {
    this.workerGone = true;
    void this.worker?.terminate();
  }

  private settle(): { error: Error | null } {
    const { state } = this;
    for (let waited = 0; Atomics.load(state, 0) === RUNNING; waited += WAIT_SLICE_MS) {
      // A worker that failed, or never started, cannot report (its events wait for this thread).
      if (this.workerGone || (waited >= START_LIMIT_MS && Atomics.load(state, 2) === 0)) return this.inThisThread();
      Atomics.wait(state, 0, RUNNING, WAIT_SLICE_MS);
    }
    const { zip, entry } = this;
    const result = attempt(() => {
      const status = Atomics.load(state, 0);
      if (status === SHORT) zip.fail(`is truncated while reading ${entry.name}`);
      if (status === FAILED) {
        const why = receiveMessageOnPort(this.port)?.message as string | undefined;
        throw new FormatError(`cannot read member '${entry.name}' to check its CRC-32 (${why ?? "unknown error"}).`, {
          file: zip.path,
        });
      }
      zip.assertIntact(entry, entry.size, Atomics.load(state, 1));
    });
    this.port.close();
    return result;
  }

  private inThisThread(): { error: Error | null } {
    void this.worker?.terminate();
    this.port.close();
    const { zip, entry, start } = this;
    return attempt(() => {
      const fd = openSync(zip.path, "r");
      try {
        const crc = crcOfRange(fd, start, entry.size, () => zip.fail(`is truncated while reading ${entry.name}`));
        zip.assertIntact(entry, entry.size, crc);
      } finally {
        closeSync(fd);
      }
    });
  }
}

function attempt(check: () => void): { error: Error | null } {
  try {
    check();
    return { error: null };
  } catch (e) {
    return { error: e as Error };
  }
}
