/**
 * Writing a .keras whose weights member's CRC-32 is summed on a worker thread (how members of 16 MB or
 * more are summed; here every member is, by `setWriteCrcThreadMinBytes(0)`): the archive is byte for
 * byte the one written with the CRC summed inline, its CRC checks when read back, and where no thread
 * can be made, or the thread cannot read the file, the member is summed here instead, with the same
 * bytes. Sizes and offsets past 4 GiB go in zip64 records: written here from 1,000 bytes on
 * (`setZip64FromBytes`), an archive reads back through both readers with every weight the same. The
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
import { FormatError } from "../../src/ir/errors.js";
import { readModelBytes } from "../../src/formats/read-bytes.js";
import { setZip64FromBytes } from "../../src/formats/keras-zip/zip-records.js";
import { ZipWriter } from "../../src/formats/keras-zip/zip-writer.js";
import { closeSync, openSync } from "node:fs";
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
    // One thread, the streamed weights member's: metadata.json and config.json, added whole, are summed here.
    expect(start).toHaveBeenCalledTimes(1);
    expect(start.mock.results[0]!.value).toBeInstanceOf(CrcThread);
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
});

describe("zip64 records, written from 1,000 bytes on instead of 4 GiB", () => {
  afterEach(() => setZip64FromBytes(0xffffffff));

  it("a .keras reads back through both readers with every weight bit for bit, and its CRCs check", async () => {
    const { graph } = await openModel(MODEL, { lazy: false });
    const path = join(dir, "zip64.keras");
    setZip64FromBytes(1000);
    await writeKerasArchive(graph, path);
    setZip64FromBytes(0xffffffff);
    const bytes = readFileSync(path);
    // The zip64 end record and its locator are there, and the weights member's local header has the extra field.
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true);
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBe(true);
    expectIntact(path);
    const zip = new ZipReader(path);
    const weights = zip.entry("model.weights.h5")!;
    expect(weights.localHeaderOffset).toBeGreaterThan(1000);
    zip.close();
    const want = new Map(graph.layers.flatMap((l) => [...l.values].map(([n, w]) => [`${l.name}/${n}`, w.values])));
    const files = await openModel(path, { lazy: false });
    const inMemory = await readModelBytes(new Uint8Array(bytes), "zip64.keras");
    for (const read of [files.graph, inMemory.graph]) {
      const got = new Map(read.layers.flatMap((l) => [...l.values].map(([n, w]) => [`${l.name}/${n}`, w.values])));
      expect([...got.keys()]).toEqual([...want.keys()]);
      for (const [key, values] of want) {
        const bits = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
        expect(bits(got.get(key)!).equals(bits(values)), key).toBe(true);
      }
    }
  });

  it("a stream that passes the limit without saying its size ahead is refused, naming the archive", () => {
    setZip64FromBytes(1000);
    const path = join(dir, "unannounced.zip");
    const fd = openSync(path, "w");
    try {
      const zip = new ZipWriter(fd, { path, name: "unannounced.zip" });
      const write = () => zip.addStream("big.bin", (push) => push(new Uint8Array(2000)));
      expect(write).toThrow(FormatError);
      expect(write).toThrow(/unannounced\.zip.*without its size said ahead/);
    } finally {
      closeSync(fd);
    }
  });
});
