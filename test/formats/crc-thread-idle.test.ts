/**
 * A kept CrcThread worker left idle ends (after 10 s by default, 50 ms here), and the next range starts
 * another. A file of its own: the wait is set before this file's first worker starts.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { afterAll, expect, it, vi } from "vitest";
import { workerCounts } from "../support/counted-workers.js";
import { CrcThread, prestartCrcThread, setCrcThreadIdleMs } from "../../src/formats/keras-zip/crc-thread.js";

vi.mock("node:worker_threads", async (importOriginal) =>
  (await import("../support/counted-workers.js")).countingWorkers(await importOriginal()),
);

const dir = mkdtempSync(join(tmpdir(), "kerasgraph-crc-idle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("a kept worker left idle ends, and the next range starts another", async () => {
  const file = join(dir, "data.bin");
  const data = Uint8Array.from({ length: 100_000 }, (_, i) => i % 251);
  writeFileSync(file, data);
  setCrcThreadIdleMs(50);
  expect(prestartCrcThread()).toBe(true);
  expect(prestartCrcThread()).toBe(true); // one is there: no second
  expect(workerCounts.started).toBe(1);
  await vi.waitFor(() => expect(workerCounts.exited).toBe(1), { timeout: 5000, interval: 20 });
  const thread = CrcThread.start(file, 0)!;
  thread.finish(data.length);
  expect(thread.result()).toEqual({ crc: crc32(data) >>> 0 });
  expect(workerCounts.started).toBe(2);
});
