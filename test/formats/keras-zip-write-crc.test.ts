/**
 * Writing a .keras whose weights member's CRC-32 is summed on a worker thread (how members of 16 MB or
 * more are summed; here every member is, by `setWriteCrcThreadMinBytes(0)`): the archive is byte for
 * byte the one written with the CRC summed inline, its CRC checks when read back, and where no thread
 * can be made, or the thread cannot read the file, the member is summed here instead, with the same
 * bytes; an archive past 4 GiB (which would need zip64) is refused before its weights are read. The
 * members' timestamps are the clock's, so each comparison freezes it.
 */
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CrcThread } from "../../src/formats/keras-zip/crc-thread.js";
import { writeKerasArchive } from "../../src/formats/keras-zip/write.js";
import { ZipReader } from "../../src/formats/keras-zip/zip-reader.js";
import { setWriteCrcThreadMinBytes } from "../../src/formats/keras-zip/zip-writer.js";
import { openModel } from "../../src/formats/open.js";
import { Input, Model, layers } from "../../src/api/index.js";
import { FormatError } from "../../src/ir/errors.js";
import { WeightData } from "../../src/ir/weights.js";
import { KERAS3 } from "../support/fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "kerasgraph-keras-zip-write-crc-"));
const MODEL = join(KERAS3, "seed/toy_resnet/model.keras");
const THREAD_MIN_BYTES = 16 * 2 ** 20;
const NOW = new Date(2026, 10, 27, 12, 0, 0);

/** The model written to `name` with the weights' CRC summed from `minBytes` on a thread, at a frozen clock. */
async function written(name: string, minBytes: number): Promise<Buffer> {
  const { graph } = await openModel(MODEL);
  const path = join(dir, name);
  vi.useFakeTimers({ toFake: ["Date"], now: NOW });
  setWriteCrcThreadMinBytes(minBytes);
  try {
    await writeKerasArchive(graph, path, { date: NOW });
  } finally {
    setWriteCrcThreadMinBytes(THREAD_MIN_BYTES);
    vi.useRealTimers();
  }
  return readFileSync(path);
}

/** Every member's CRC-32 checks against its bytes (ZipReader.verify throws on a mismatch). */
function expectIntact(path: string): void {
  const zip = new ZipReader(path);
  try {
    for (const name of ["metadata.json", "config.json", "model.weights.h5"]) zip.verify(zip.entry(name)!);
  } finally {
    zip.close();
  }
}

afterEach(() => vi.restoreAllMocks());

describe("a .keras weights member's CRC summed on a worker thread", () => {
  it("gives the archive written with it summed inline, byte for byte, and the CRC checks", async () => {
    const start = vi.spyOn(CrcThread, "start");
    const threaded = await written("thread.keras", 0);
    expect(start).toHaveBeenCalled();
    expect(start.mock.results.some((r) => r.value instanceof CrcThread)).toBe(true);
    const inline = await written("inline.keras", Number.MAX_SAFE_INTEGER);
    expect(threaded.equals(inline)).toBe(true);
    expectIntact(join(dir, "thread.keras"));
    const reopened = await openModel(join(dir, "thread.keras"), { lazy: false });
    expect(reopened.graph.layers.length).toBeGreaterThan(0);
  });

  it("where no thread can be made, sums the member here: the same bytes", async () => {
    const inline = await written("inline-2.keras", Number.MAX_SAFE_INTEGER);
    vi.spyOn(CrcThread, "start").mockReturnValue(null);
    expect((await written("no-thread.keras", 0)).equals(inline)).toBe(true);
  });

  it("where the thread cannot read the file, reads the member back here: the same bytes", async () => {
    const inline = await written("inline-3.keras", Number.MAX_SAFE_INTEGER);
    const real = CrcThread.start.bind(CrcThread);
    const start = vi.spyOn(CrcThread, "start").mockImplementation((path, at, crc) => real(`${path}.missing`, at, crc));
    expect((await written("thread-failed.keras", 0)).equals(inline)).toBe(true);
    expect(start).toHaveBeenCalled();
  });

  it("a write that fails midway stops the thread and leaves no file", async () => {
    const { graph } = await openModel(MODEL);
    const cancel = vi.spyOn(CrcThread.prototype, "cancel");
    const layer = graph.layers.find((l) => l.values.size > 0)!;
    const [name, w] = [...layer.values][0]!;
    // A weight whose values cannot be read fails the write after the member has started.
    layer.values.set(
      name,
      Object.assign(Object.create(Object.getPrototypeOf(w)), w, {
        borrow: () => {
          throw new Error("unreadable weight");
        },
      }),
    );
    setWriteCrcThreadMinBytes(0);
    try {
      await expect(writeKerasArchive(graph, join(dir, "broken.keras"))).rejects.toThrow();
    } finally {
      setWriteCrcThreadMinBytes(THREAD_MIN_BYTES);
    }
    expect(cancel).toHaveBeenCalled();
    expect(readdirSync(dir).filter((f) => f.includes("broken"))).toEqual([]);
  });

  it("an archive past 4 GiB is refused before its weights are read (no zip64), and no file is left", async () => {
    // Dense(65536 → 16384): a 4 GiB kernel, declared but never made (its loader must not run).
    const x = Input({ shape: [65536], name: "x" });
    const graph = new Model(x, layers.Dense(16384, { name: "huge" })(x), { name: "big" }).graph;
    let loads = 0;
    for (const layer of graph.layers) {
      for (const w of layer.weights ?? []) {
        const size = w.shape.reduce((a, b) => a * b, 1);
        layer.values.set(w.name, new WeightData("float32", w.shape, () => (loads++, new Float32Array(size))));
      }
    }
    const dest = join(dir, "too-big.keras");
    const error = await writeKerasArchive(graph, dest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    expect(String(error)).toMatch(/too-big\.keras.*would pass 4 GiB \(4\.00 GiB at least\).*zip64/);
    expect(loads).toBe(0);
    expect(readdirSync(dir).filter((f) => f.includes("too-big"))).toEqual([]);
  });
});
