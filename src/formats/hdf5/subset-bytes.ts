import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { ascii, damaged, Hdf5Unsupported, readUint } from "./subset-messages.js";

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const PAGE = 64 * 1024;

/**
 * The bytes of an HDF5 file as the subset reader (subset-reader.ts) reads them: from a file on disk or
 * from memory, at `base` (0, or where a stored zip member starts), through a page cache for metadata;
 * and the superblock's fields that every other structure is read with (offset and length sizes, the
 * root group). Superblocks other than versions 0 and 1 throw Hdf5Unsupported.
 */
export class H5Bytes {
  private readonly fd: number;
  readonly fileSize: number;
  private readonly pages = new Map<number, Uint8Array>();
  sizeOfOffsets = 8;
  sizeOfLengths = 8;
  /** The root group's object header address. */
  rootHeader = 0;

  constructor(
    readonly path: string,
    readonly base = 0,
    /** The file's bytes, when it is in memory (a browser): no file is opened. */
    readonly memory?: Uint8Array,
  ) {
    this.fd = memory ? -1 : openSync(path, "r");
    try {
      this.fileSize = memory ? memory.length : fstatSync(this.fd).size;
      this.readSuperblock();
    } catch (e) {
      this.close();
      throw e;
    }
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
  }

  /** `length` bytes at `address` (relative to the HDF5 base), through a page cache for metadata. */
  bytes(address: number, length: number): Uint8Array {
    const at = this.base + address;
    if (at + length > this.fileSize)
      throw damaged(`it needs bytes up to ${at + length} of ${this.fileSize} (truncated?)`);
    const first = Math.floor(at / PAGE);
    const last = Math.floor((at + length - 1) / PAGE);
    if (first === last) {
      const page = this.page(first);
      return page.subarray(at - first * PAGE, at - first * PAGE + length);
    }
    const out = new Uint8Array(length);
    for (let p = first, filled = 0; p <= last; p++) {
      const page = this.page(p);
      const from = p === first ? at - first * PAGE : 0;
      const n = Math.min(page.length - from, length - filled);
      out.set(page.subarray(from, from + n), filled);
      filled += n;
    }
    return out;
  }

  private page(index: number): Uint8Array {
    let page = this.pages.get(index);
    if (!page) {
      const length = Math.min(PAGE, this.fileSize - index * PAGE);
      page = new Uint8Array(length);
      if (this.memory) page.set(this.memory.subarray(index * PAGE, index * PAGE + length));
      else readFully(this.fd, page, index * PAGE);
      this.pages.set(index, page);
    }
    return page;
  }

  private readSuperblock(): void {
    const head = this.bytes(0, 24);
    if (!SIGNATURE.every((b, i) => head[i] === b)) {
      // A user block puts the signature at 512, 1024, ...: the library reads those; no signature at all is no HDF5.
      if (this.base === 0 && this.hasLaterSignature())
        throw new Hdf5Unsupported("a user block before the superblock", true);
      throw damaged("no HDF5 signature where the file starts");
    }
    const version = head[8]!;
    if (version > 3) throw damaged(`superblock version ${version} (HDF5 has 0 to 3)`);
    if (version > 1) throw new Hdf5Unsupported(`superblock version ${version}`, true);
    this.sizeOfOffsets = head[13]!;
    this.sizeOfLengths = head[14]!;
    if (![2, 4, 8, 16].includes(this.sizeOfOffsets) || ![2, 4, 8, 16].includes(this.sizeOfLengths)) {
      throw damaged(`offset/length sizes ${this.sizeOfOffsets}/${this.sizeOfLengths} (HDF5 has 2, 4, 8 or 16)`);
    }
    if (![4, 8].includes(this.sizeOfOffsets) || ![4, 8].includes(this.sizeOfLengths)) {
      throw new Hdf5Unsupported(`offset/length sizes ${this.sizeOfOffsets}/${this.sizeOfLengths}`);
    }
    let at = 24 + (version === 1 ? 4 : 0);
    const o = this.sizeOfOffsets;
    const block = this.bytes(0, at + 4 * o + 2 * o + 24);
    const baseAddress = this.offset(block, at);
    if (baseAddress !== 0) throw new Hdf5Unsupported(`base address ${baseAddress}`);
    at += 4 * o; // base, free space, end of file, driver info
    this.rootHeader = this.offset(block, at + o); // root symbol table entry: name offset, header address
  }

  private hasLaterSignature(): boolean {
    for (let at = 512; at + 8 <= this.fileSize; at *= 2) {
      const head = this.bytes(at, 8);
      if (SIGNATURE.every((b, i) => head[i] === b)) return true;
    }
    return false;
  }

  offset(buf: Uint8Array, at: number): number {
    return readUint(buf, at, this.sizeOfOffsets);
  }

  length(buf: Uint8Array, at: number): number {
    return readUint(buf, at, this.sizeOfLengths);
  }

  private readonly heaps = new Map<number, Map<number, Uint8Array>>();

  /** Object `index` of the global heap collection at `collection` (variable-length strings live there). */
  globalHeapObject(collection: number, index: number): Uint8Array {
    let objects = this.heaps.get(collection);
    if (!objects) {
      const l = this.sizeOfLengths;
      const head = this.bytes(collection, 8 + l);
      if (ascii(head, 0, 4) !== "GCOL") throw damaged(`no global heap collection at ${collection}`);
      const size = this.length(head, 8);
      const body = this.bytes(collection, size);
      objects = new Map();
      for (let at = 8 + l; at + 8 + l <= size;) {
        const id = readUint(body, at, 2);
        const objSize = this.length(body, at + 8);
        if (id === 0) break;
        objects.set(id, body.subarray(at + 8 + l, at + 8 + l + objSize));
        at += 8 + l + Math.ceil(objSize / 8) * 8;
      }
      this.heaps.set(collection, objects);
    }
    const obj = objects.get(index);
    if (!obj) throw damaged(`global heap object ${index} is missing from collection ${collection}`);
    return obj;
  }
}

/** Reads `buf.length` bytes at `position`; a short file is an error. */
export function readFully(fd: number, buf: Uint8Array, position: number): void {
  for (let got = 0; got < buf.length;) {
    const n = readSync(fd, buf, got, buf.length - got, position + got);
    if (n === 0) throw damaged(`the file ends before byte ${position + buf.length} (truncated?)`);
    got += n;
  }
}
