/**
 * CrcThread: ranges of a file summed on a worker thread, against zlib's CRC-32 of the same bytes; one
 * kept worker serves the ranges one after another (a Node worker costs ~30 ms of CPU to start), a range
 * asked for while it is busy gets a worker of its own, and a cancelled range leaves it free for the
 * next (crc-thread-idle.test.ts: a kept worker left idle ends).
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { afterAll, describe, expect, it, vi } from "vitest";
import { workerCounts } from "../support/counted-workers.js";
import { CrcThread, prestartCrcThread } from "../../src/formats/keras-zip/crc-thread.js";

vi.mock("node:worker_threads", async (importOriginal) =>
  (await import("../support/counted-workers.js")).countingWorkers(await importOriginal()),
);

const dir = mkdtempSync(join(tmpdir(), "kerasgraph-crc-thread-"));
const file = join(dir, "data.bin");
// Not a whole number of the worker's 1 MiB reads, and bytes that differ along the file.
const data = Uint8Array.from({ length: 3 * 2 ** 20 + 12_345 }, (_, i) => (i * 2654435761) >>> 24);
writeFileSync(file, data);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function summed(path: string, start: number, end: number, initialCrc = 0) {
  const thread = CrcThread.start(path, start, initialCrc)!;
  expect(thread).toBeInstanceOf(CrcThread);
  thread.finish(end);
  return thread.result();
}

describe("CrcThread", () => {
  it("sums ranges one after another on one kept worker, as zlib does", () => {
    prestartCrcThread();
    const before = workerCounts.started;
    for (const [start, end] of [
      [0, data.length],
      [1, data.length],
      [12_345, 2 ** 20 + 7],
      [data.length, data.length],
    ] as const) {
      expect(summed(file, start, end)).toEqual({ crc: crc32(data.subarray(start, end)) >>> 0 });
    }
    // Continuing the CRC of the bytes before the range.
    expect(summed(file, 1000, data.length, crc32(data.subarray(0, 1000)))).toEqual({ crc: crc32(data) >>> 0 });
    expect(workerCounts.started).toBe(before);
  });

  it("a range that grows as it is written", () => {
    const before = workerCounts.started;
    const growing = join(dir, "growing.bin");
    writeFileSync(growing, data.subarray(0, 100));
    const thread = CrcThread.start(growing, 0)!;
    for (let at = 100; at < data.length; at += 700_001) {
      const end = Math.min(at + 700_001, data.length);
      appendFileSync(growing, data.subarray(at, end));
      thread.advance(end);
    }
    thread.finish(data.length);
    expect(thread.result()).toEqual({ crc: crc32(data) >>> 0 });
    expect(workerCounts.started).toBe(before);
  });

  it("a range asked for while the kept worker is busy gets its own worker", () => {
    const before = workerCounts.started;
    const open = CrcThread.start(file, 0)!; // busy until its end is set
    const other = CrcThread.start(file, 5)!;
    other.finish(data.length);
    expect(other.result()).toEqual({ crc: crc32(data.subarray(5)) >>> 0 });
    open.finish(data.length);
    expect(open.result()).toEqual({ crc: crc32(data) >>> 0 });
    expect(workerCounts.started).toBe(before + 1);
    // The kept one is free again.
    expect(summed(file, 0, 10)).toEqual({ crc: crc32(data.subarray(0, 10)) >>> 0 });
    expect(workerCounts.started).toBe(before + 1);
  });

  it("a file that is missing or ends early is reported; a cancelled range frees the worker", () => {
    const before = workerCounts.started;
    const missing = summed(join(dir, "missing.bin"), 0, 10);
    expect(missing).toMatchObject({ failed: expect.stringContaining("ENOENT") });
    expect(summed(file, 0, data.length + 1)).toEqual({ short: true });
    const open = CrcThread.start(file, 0)!;
    open.cancel();
    expect(summed(file, 3, 30)).toEqual({ crc: crc32(data.subarray(3, 30)) >>> 0 });
    expect(workerCounts.started).toBe(before);
  });
});
