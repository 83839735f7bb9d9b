import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { crc32 } from "node:zlib";
import { Inflate, inflateSync } from "fflate";
import { FormatError } from "../../ir/errors.js";
import { checkInflate, checkZipMember } from "./zip-safety.js";
import { writeFully } from "../write-fully.js";

/** A member of a zip archive, from the central directory. */
export interface ZipEntry {
  name: string;
  /** 0: stored, 8: deflated (the two methods Python's zipfile writes). */
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
  /** External attributes: a Unix mode in the high 16 bits (zip-safety.ts refuses symlinks). */
  externalAttrs?: number;
}

const CHUNK = 8 * 1024 * 1024;
/** A CRC pass reads in chunks that stay in the CPU cache for the CRC (1 MiB: ~15% faster than 8 MiB). */
const CRC_CHUNK = 2 ** 20;

/**
 * A zip archive read through its central directory, from a file descriptor: members are read one at a
 * time (the weights member is streamed to a file), so opening a large `.keras` never holds it whole. A
 * truncated or damaged archive is a FormatError naming the file.
 */
export class ZipReader {
  readonly entries: ZipEntry[];
  private readonly fd: number;
  private readonly fileSize: number;

  constructor(readonly path: string) {
    this.fd = openSync(path, "r");
    try {
      this.fileSize = fstatSync(this.fd).size;
      this.entries = this.readDirectory();
    } catch (e) {
      closeSync(this.fd);
      throw e;
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  entry(name: string): ZipEntry | undefined {
    return this.entries.find((e) => e.name === name);
  }

  /** A member's bytes, inflated and checked against its CRC. */
  read(entry: ZipEntry): Uint8Array {
    checkInflate(entry, this.path);
    const raw = this.readAt(this.dataOffset(entry), entry.compressedSize, entry.name);
    let data: Uint8Array;
    if (entry.method === 0) data = raw;
    else {
      try {
        data = inflateSync(raw, { out: new Uint8Array(entry.size) });
      } catch (e) {
        this.fail(`member '${entry.name}' cannot be inflated (${(e as Error).message})`);
      }
    }
    this.assertIntact(entry, data.length, crc32(data));
    return data;
  }

  /** Streams a member into the file `dest` (created), in chunks, checking its CRC. */
  extractTo(entry: ZipEntry, dest: string): void {
    const out = openSync(dest, "w");
    try {
      let crc = 0;
      let written = 0;
      const sink = (chunk: Uint8Array) => {
        crc = crc32(chunk, crc);
        written += chunk.length;
        writeFully(out, chunk);
      };
      const inflate = entry.method === 8 ? new Inflate((chunk) => sink(chunk)) : null;
      const start = this.dataOffset(entry);
      for (let at = 0; at < entry.compressedSize; at += CHUNK) {
        const n = Math.min(CHUNK, entry.compressedSize - at);
        const chunk = this.readAt(start + at, n, entry.name);
        if (inflate) {
          try {
            inflate.push(chunk, at + n >= entry.compressedSize);
          } catch (e) {
            this.fail(`member '${entry.name}' cannot be inflated (${(e as Error).message})`);
          }
        } else sink(chunk);
      }
      this.assertIntact(entry, written, crc);
    } finally {
      closeSync(out);
    }
  }

  /** Refuses a member whose size or CRC-32, as read, is not what the directory says. */
  assertIntact(entry: ZipEntry, size: number, crc: number): void {
    if (size !== entry.size)
      this.fail(`member '${entry.name}' holds ${size} bytes, but the directory says ${entry.size}`);
    if (crc >>> 0 !== entry.crc) this.fail(`member '${entry.name}' is corrupt (CRC-32 mismatch)`);
  }

  /** Checks a member's CRC by reading it through in chunks (for a member read in place, not extracted). */
  verify(entry: ZipEntry): void {
    if (entry.method !== 0) {
      this.fail(`member '${entry.name}' is compressed; only stored members are verified in place`);
    }
    const crc = crcOfRange(this.fd, this.dataOffset(entry), entry.size, () =>
      this.fail(`is truncated while reading ${entry.name}`),
    );
    this.assertIntact(entry, entry.size, crc);
  }

  /** Where a member's data starts in the file (after its local header). */
  dataOffset(entry: ZipEntry): number {
    const local = this.readAt(entry.localHeaderOffset, 30, entry.name);
    const view = new DataView(local.buffer, local.byteOffset, 30);
    if (view.getUint32(0, true) !== 0x04034b50)
      this.fail(`member '${entry.name}' has no local header where the directory says`);
    if (entry.method !== 0 && entry.method !== 8) {
      this.fail(
        `member '${entry.name}' uses compression method ${entry.method}; only stored (0) and deflate (8) are supported`,
      );
    }
    return entry.localHeaderOffset + 30 + view.getUint16(26, true) + view.getUint16(28, true);
  }

  private readAt(offset: number, length: number, what: string): Uint8Array {
    if (offset + length > this.fileSize) {
      this.fail(`is truncated: ${what} needs bytes ${offset}..${offset + length} of a ${this.fileSize}-byte file`);
    }
    const buf = new Uint8Array(length);
    let got = 0;
    while (got < length) {
      const n = readSync(this.fd, buf, got, length - got, offset + got);
      if (n === 0) this.fail(`is truncated while reading ${what}`);
      got += n;
    }
    return buf;
  }

  /** Throws the FormatError for damage found in the archive, naming its file. */
  fail(message: string): never {
    throw new FormatError(`${message}. The .keras (zip) archive is damaged or incomplete.`, { file: this.path });
  }

  private readDirectory(): ZipEntry[] {
    const tailSize = Math.min(this.fileSize, 22 + 65535);
    const tail = this.readAt(this.fileSize - tailSize, tailSize, "the end of central directory");
    const view = new DataView(tail.buffer);
    let eocd = -1;
    for (let i = tailSize - 22; i >= 0; i--) {
      if (view.getUint32(i, true) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) this.fail("has no zip end-of-central-directory record: it is truncated, or not a zip archive");
    let count = view.getUint16(eocd + 10, true);
    let dirSize = view.getUint32(eocd + 12, true);
    let dirOffset = view.getUint32(eocd + 16, true);
    if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
      const loc = eocd - 20;
      if (loc < 0 || view.getUint32(loc, true) !== 0x07064b50) this.fail("has a zip64 end record without its locator");
      const rec = this.readAt(Number(view.getBigUint64(loc + 8, true)), 56, "the zip64 end of central directory");
      const r = new DataView(rec.buffer);
      if (r.getUint32(0, true) !== 0x06064b50) this.fail("has a damaged zip64 end-of-central-directory record");
      count = Number(r.getBigUint64(32, true));
      dirSize = Number(r.getBigUint64(40, true));
      dirOffset = Number(r.getBigUint64(48, true));
    }
    const dir = this.readAt(dirOffset, dirSize, "the central directory");
    const d = new DataView(dir.buffer);
    const entries: ZipEntry[] = [];
    let at = 0;
    for (let i = 0; i < count; i++) {
      if (at + 46 > dir.length || d.getUint32(at, true) !== 0x02014b50)
        this.fail(`has a damaged central directory (entry ${i})`);
      const nameLen = d.getUint16(at + 28, true);
      const extraLen = d.getUint16(at + 30, true);
      const commentLen = d.getUint16(at + 32, true);
      const flags = d.getUint16(at + 8, true);
      const nameBytes = dir.subarray(at + 46, at + 46 + nameLen);
      const name = new TextDecoder(flags & 0x800 ? "utf-8" : "latin1").decode(nameBytes);
      const entry: ZipEntry = {
        name,
        method: d.getUint16(at + 10, true),
        crc: d.getUint32(at + 16, true),
        compressedSize: d.getUint32(at + 20, true),
        size: d.getUint32(at + 24, true),
        localHeaderOffset: d.getUint32(at + 42, true),
        externalAttrs: d.getUint32(at + 38, true),
      };
      checkZipMember(entry, this.path);
      readZip64Extra(entry, dir.subarray(at + 46 + nameLen, at + 46 + nameLen + extraLen));
      entries.push(entry);
      at += 46 + nameLen + extraLen + commentLen;
    }
    return entries;
  }
}

/**
 * The CRC-32 of `size` bytes of `fd` from `start` (continuing `initial`, the CRC of the bytes before),
 * read in chunks; `short` is called at a premature end.
 */
export function crcOfRange(fd: number, start: number, size: number, short: () => never, initial = 0): number {
  let crc = initial;
  const buf = new Uint8Array(Math.min(CRC_CHUNK, Math.max(size, 1)));
  for (let at = 0; at < size;) {
    const chunk = buf.subarray(0, Math.min(buf.length, size - at));
    readFully(fd, chunk, start + at, short);
    crc = crc32(chunk, crc);
    at += chunk.length;
  }
  return crc;
}

/** crcOfRange over the file at `path`, opened for it. */
export function crcOfFileRange(path: string, start: number, size: number, short: () => never, initial = 0): number {
  const fd = openSync(path, "r");
  try {
    return crcOfRange(fd, start, size, short, initial);
  } finally {
    closeSync(fd);
  }
}

function readFully(fd: number, buf: Uint8Array, position: number, short: () => never): void {
  for (let got = 0; got < buf.length;) {
    const n = readSync(fd, buf, got, buf.length - got, position + got);
    if (n === 0) short();
    got += n;
  }
}

/** Sizes and offsets that do not fit 32 bits live in the zip64 extra field, in this order. */
function readZip64Extra(entry: ZipEntry, extra: Uint8Array): void {
  const view = new DataView(extra.buffer, extra.byteOffset, extra.byteLength);
  for (let at = 0; at + 4 <= extra.length;) {
    const id = view.getUint16(at, true);
    const len = view.getUint16(at + 2, true);
    if (id === 0x0001) {
      let p = at + 4;
      const next = () => {
        if (p + 8 > Math.min(at + 4 + len, extra.length)) return 0xffffffff; // a short field: the size stays unknown
        const v = Number(view.getBigUint64(p, true));
        p += 8;
        return v;
      };
      if (entry.size === 0xffffffff) entry.size = next();
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = next();
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = next();
    }
    at += 4 + len;
  }
}
