import { closeSync, mkdtempSync, openSync, readFileSync } from "node:fs";
import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Mock, describe, expect, it, vi } from "vitest";
import { WRITE_PIECE_BYTES, writeFileFully, writeFully } from "../../src/formats/write-fully.js";

vi.mock("node:fs", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:fs")>();
  return { ...real, writeSync: vi.fn(real.writeSync) };
});

/** writeSync as the writers call it (the buffer overload). */
type WriteBytes = (fd: number, bytes: Uint8Array, offset: number, length: number, position: number | null) => number;
const writeCalls = () => vi.mocked(fs.writeSync) as unknown as Mock<WriteBytes>;

const dir = mkdtempSync(join(tmpdir(), "kerasgraph-write-fully-"));
/** 2.5 pieces of bytes that differ from piece to piece, so a piece written twice or skipped shows. */
const bytes = Uint8Array.from({ length: Math.floor(2.5 * WRITE_PIECE_BYTES) }, (_, i) => (i * 7 + (i >> 16)) & 0xff);

describe("writeFully", () => {
  it("writes everything, at a position and at the file's offset, in pieces of at most 1 MiB", () => {
    const path = join(dir, "out.bin");
    const fd = openSync(path, "w");
    const calls = writeCalls();
    calls.mockClear();
    try {
      writeFully(fd, new Uint8Array([1, 2, 3]));
      writeFully(fd, bytes, 10, 5, bytes.length - 5);
    } finally {
      closeSync(fd);
    }
    const file = readFileSync(path);
    expect(file.length).toBe(10 + bytes.length - 5);
    expect([...file.subarray(0, 3)]).toEqual([1, 2, 3]);
    expect([...file.subarray(3, 10)]).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(Buffer.compare(file.subarray(10), bytes.subarray(5))).toBe(0);
    const lengths = calls.mock.calls.map((c) => c[3]);
    expect(lengths).toEqual([3, WRITE_PIECE_BYTES, WRITE_PIECE_BYTES, bytes.length - 5 - 2 * WRITE_PIECE_BYTES]);
    expect(calls.mock.calls.map((c) => c[4])).toEqual([null, 10, 10 + WRITE_PIECE_BYTES, 10 + 2 * WRITE_PIECE_BYTES]);
  });

  it("goes on after a short write", () => {
    const path = join(dir, "short.bin");
    const fd = openSync(path, "w");
    const calls = writeCalls();
    calls.mockClear();
    // The kernel may take fewer bytes than asked (a signal, a full pipe): the rest is written next.
    const real = calls.getMockImplementation()!;
    calls.mockImplementationOnce((f, b, o, n, p) => real(f, b, o, Math.min(n, 1000), p));
    try {
      writeFully(fd, bytes, 0);
    } finally {
      closeSync(fd);
    }
    expect(Buffer.compare(readFileSync(path), bytes)).toBe(0);
    expect(calls.mock.calls[1]![4]).toBe(1000);
  });

  it("stops, with an error, at a write that takes no bytes", () => {
    const fd = openSync(join(dir, "stuck.bin"), "w");
    const calls = writeCalls();
    calls.mockImplementationOnce(() => 0);
    try {
      expect(() => writeFully(fd, bytes)).toThrow(`write() took no bytes of ${bytes.length} left to write`);
    } finally {
      closeSync(fd);
    }
  });
});

describe("writeFileFully", () => {
  it("replaces a file's contents, in pieces", () => {
    const path = join(dir, "whole.bin");
    writeFileFully(path, new Uint8Array(5 * WRITE_PIECE_BYTES).fill(9));
    const calls = writeCalls();
    calls.mockClear();
    writeFileFully(path, bytes);
    expect(Buffer.compare(readFileSync(path), bytes)).toBe(0);
    expect(Math.max(...calls.mock.calls.map((c) => c[3]))).toBe(WRITE_PIECE_BYTES);
  });
});
