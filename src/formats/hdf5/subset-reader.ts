import { FormatError } from "../../ir/errors.js";
import { checkLimit } from "../limits.js";
import { H5Bytes } from "./subset-bytes.js";
import {
  ascii,
  attributeValue,
  damaged,
  type DecodedAttribute,
  decodeAttribute,
  decodeDataspace,
  decodeDatatype,
  type H5Type,
  Hdf5Unsupported,
  sortedByBytes,
  readUint,
} from "./subset-messages.js";

export { Hdf5Unsupported, type H5Type } from "./subset-messages.js";

/** Where a dataset's values are. */
export interface H5DatasetInfo {
  type: H5Type;
  shape: number[];
  /** Absolute file offset and byte length of the values (contiguous), or the bytes themselves (compact). */
  offset: number | null;
  byteLength: number;
  compact?: Uint8Array;
}

interface H5Object {
  messages: { type: number; data: Uint8Array }[];
}

/**
 * A reader for the part of HDF5 that h5py writes by default (`libver="earliest"`), which is every Keras
 * weights file: superblock version 0/1, version-1 object headers, groups as symbol tables (v1 B-tree,
 * local heap), contiguous or compact datasets without filters, attributes with fixed or variable-length
 * strings (global heap). Pure TypeScript over file reads: opening costs a few metadata reads, and a
 * dataset's values are read straight from the file into its typed array. Anything else in the format
 * throws Hdf5Unsupported, and the caller falls back to the HDF5 library (h5wasm). A file that is
 * damaged (structures missing where they are pointed at, addresses past the end) is a FormatError, and
 * is never handed to the HDF5 library: its C code is not hardened against hostile files (it can abort,
 * loop or allocate gigabytes on a few flipped bits), this reader is.
 *
 * `base` is where the HDF5 data starts in the file: 0, or the offset of a stored zip member.
 */
export class Hdf5SubsetReader {
  private readonly file: H5Bytes;
  private readonly objects = new Map<string, H5Object>();
  private readonly groupEntries = new Map<string, Map<string, number>>();
  /** Queries by path: a writer asks about each of hundreds of datasets several times. */
  private readonly resolved = new Map<string, number | null>();
  private readonly sortedChildren = new Map<string, string[]>();

  constructor(
    readonly path: string,
    readonly base = 0,
    /** The file's bytes, when it is in memory (a browser): no file is opened. */
    readonly memory?: Uint8Array,
  ) {
    this.file = new H5Bytes(path, base, memory);
  }

  close(): void {
    this.file.close();
  }

  // ---- structure ----

  private object(address: number): H5Object {
    const key = String(address);
    const cached = this.objects.get(key);
    if (cached) return cached;
    const prefix = this.file.bytes(address, 16);
    if (ascii(prefix, 0, 4) === "OHDR") throw new Hdf5Unsupported(`object header version 2 at ${address}`);
    if (prefix[0] !== 1) throw damaged(`no object header at ${address}`);
    const count = readUint(prefix, 2, 2);
    const messages: H5Object["messages"] = [];
    const blocks: [number, number][] = [[address + 16, readUint(prefix, 8, 4)]];
    const seen = new Set<number>();
    while (blocks.length && messages.length < count) {
      const [start, size] = blocks.shift()!;
      if (seen.has(start)) throw damaged(`the object header at ${address} continues into itself`);
      seen.add(start);
      const chunk = this.file.bytes(start, size);
      for (let at = 0; at + 8 <= size && messages.length < count;) {
        const type = readUint(chunk, at, 2);
        const len = readUint(chunk, at + 2, 2);
        const flags = chunk[at + 4]!;
        const data = chunk.subarray(at + 8, at + 8 + len);
        if (flags & 0x02) throw new Hdf5Unsupported("shared header message");
        if (type === 0x10) blocks.push([this.file.offset(data, 0), this.file.length(data, this.file.sizeOfOffsets)]);
        messages.push({ type, data });
        at += 8 + len;
      }
    }
    const obj = { messages };
    this.objects.set(key, obj);
    return obj;
  }

  /** Follows a path from the root to an object header address; null if a name is missing. */
  private resolve(path: string): number | null {
    let address = this.resolved.get(path);
    if (address === undefined) this.resolved.set(path, (address = this.walk(path)));
    return address;
  }

  private walk(path: string): number | null {
    let address = this.file.rootHeader;
    let at = "";
    for (const name of path.split("/").filter(Boolean)) {
      const entries = this.entries(at, address);
      if (!entries) return null;
      const next = entries.get(name);
      if (next === undefined) return null;
      address = next;
      at = `${at}/${name}`;
    }
    return address;
  }

  /** A group's children by name (null when the object is not a group). */
  private entries(path: string, address: number): Map<string, number> | null {
    const cached = this.groupEntries.get(path);
    if (cached) return cached;
    const obj = this.object(address);
    if (obj.messages.some((m) => m.type === 0x06 || m.type === 0x02))
      throw new Hdf5Unsupported("new-style (link message) group");
    const stab = obj.messages.find((m) => m.type === 0x11);
    if (!stab) return null;
    const btree = this.file.offset(stab.data, 0);
    const heap = this.file.offset(stab.data, this.file.sizeOfOffsets);
    const names = this.localHeap(heap);
    const out = new Map<string, number>();
    this.walkGroupBtree(btree, names, out, 0, new Set());
    this.groupEntries.set(path, out);
    return out;
  }

  private localHeap(address: number): Uint8Array {
    const l = this.file.sizeOfLengths;
    const head = this.file.bytes(address, 8 + 2 * l + this.file.sizeOfOffsets);
    if (ascii(head, 0, 4) !== "HEAP") throw damaged(`no local heap at ${address}`);
    const size = this.file.length(head, 8);
    return this.file.bytes(this.file.offset(head, 8 + 2 * l), size);
  }

  private walkGroupBtree(
    address: number,
    names: Uint8Array,
    out: Map<string, number>,
    depth: number,
    seen: Set<number>,
  ): void {
    if (depth > 32) throw damaged("a group B-tree is more than 32 levels deep (a cycle?)");
    if (seen.has(address)) throw damaged(`the group B-tree node at ${address} is reached twice (a cycle)`);
    seen.add(address);
    const o = this.file.sizeOfOffsets;
    const l = this.file.sizeOfLengths;
    const head = this.file.bytes(address, 8 + 2 * o);
    if (ascii(head, 0, 4) !== "TREE" || head[4] !== 0) throw damaged(`no group B-tree node at ${address}`);
    const level = head[5]!;
    const used = readUint(head, 6, 2);
    const body = this.file.bytes(address + 8 + 2 * o, used * (l + o) + l);
    for (let i = 0; i < used; i++) {
      const child = this.file.offset(body, l + i * (l + o));
      if (level > 0) this.walkGroupBtree(child, names, out, depth + 1, seen);
      else this.symbolNode(child, names, out);
    }
  }

  private symbolNode(address: number, names: Uint8Array, out: Map<string, number>): void {
    const o = this.file.sizeOfOffsets;
    const head = this.file.bytes(address, 8);
    if (ascii(head, 0, 4) !== "SNOD") throw damaged(`no symbol table node at ${address}`);
    const count = readUint(head, 6, 2);
    const entrySize = 2 * o + 24;
    const body = this.file.bytes(address + 8, count * entrySize);
    for (let i = 0; i < count; i++) {
      const nameOffset = this.file.offset(body, i * entrySize);
      const header = this.file.offset(body, i * entrySize + o);
      let end = nameOffset;
      while (end < names.length && names[end] !== 0) end++;
      out.set(UTF8_DECODER.decode(names.subarray(nameOffset, end)), header);
    }
  }

  // ---- public queries ----

  kind(path: string): "group" | "dataset" | null {
    const address = this.resolve(path);
    if (address === null) return null;
    const obj = this.object(address);
    if (obj.messages.some((m) => m.type === 0x11)) return "group";
    if (obj.messages.some((m) => m.type === 0x08)) return "dataset";
    if (obj.messages.some((m) => m.type === 0x06 || m.type === 0x02)) throw new Hdf5Unsupported("new-style group");
    return null;
  }

  /** A group's member names, sorted by name (HDF5's order for symbol-table groups). */
  children(path: string): string[] {
    let sorted = this.sortedChildren.get(path);
    if (!sorted) {
      const address = this.resolve(path);
      const entries = address === null ? null : this.entries(normalize(path), address);
      if (!entries) throw new FormatError(`has no HDF5 group '${path}'.`);
      this.sortedChildren.set(path, (sorted = sortedByBytes(entries.keys())));
    }
    return [...sorted];
  }

  attrNames(path: string): string[] {
    return this.attributes(path).map((a) => a.name);
  }

  /** An attribute's value: a string, a list of strings, or numbers (typed array; a scalar as its one element). */
  attr(path: string, name: string): string | string[] | number[] | bigint[] | undefined {
    const a = this.attributes(path).find((x) => x.name === name);
    return a ? this.attrValue(a) : undefined;
  }

  dataset(path: string): H5DatasetInfo {
    const address = this.resolve(path);
    if (address === null) throw new FormatError(`has no HDF5 object '${path}'.`);
    const obj = this.object(address);
    const get = (type: number) => obj.messages.find((m) => m.type === type)?.data;
    const layout = get(0x08);
    const dtype = get(0x03);
    const space = get(0x01);
    if (!layout || !dtype || !space) throw new FormatError(`has no HDF5 dataset '${path}'.`);
    if (get(0x0b)) throw new Hdf5Unsupported(`'${path}' has filters (compression)`);
    const type = decodeDatatype(dtype);
    const shape = decodeDataspace(space, this.file.sizeOfLengths);
    const byteLength = shape.reduce((a, b) => a * b, 1) * type.size;
    checkLimit(
      "maxTensorBytes",
      byteLength,
      `dataset '${path}' (shape [${shape.join(", ")}], ${type.size}-byte values)`,
    );
    if (layout[0]! < 1 || layout[0]! > 4)
      throw damaged(`dataset '${path}' has layout message version ${layout[0]} (HDF5 has 1 to 4)`);
    if (layout[0] !== 3) throw new Hdf5Unsupported(`layout message version ${layout[0]}`);
    if (layout[1] === 0) {
      const size = readUint(layout, 2, 2);
      if (size !== byteLength || 4 + size > layout.length) {
        throw damaged(
          `compact dataset '${path}' holds ${Math.min(size, layout.length - 4)} bytes for ${byteLength} declared`,
        );
      }
      return { type, shape, offset: null, byteLength, compact: layout.subarray(4, 4 + size) };
    }
    if (layout[1]! > 3) throw damaged(`dataset '${path}' has layout class ${layout[1]} (HDF5 has 0 to 3)`);
    if (layout[1] !== 1) throw new Hdf5Unsupported(`'${path}' is chunked`);
    const at = this.file.offset(layout, 2);
    const undefinedAddress =
      at === 2 ** (8 * this.file.sizeOfOffsets) - 1 || (this.file.sizeOfOffsets === 8 && at >= 2 ** 53);
    if (undefinedAddress) {
      // Never written (h5py's empty datasets): zeros, as the library reads them, but no more than the file could hold.
      if (byteLength > this.file.fileSize)
        throw damaged(`unwritten dataset '${path}' declares ${byteLength} bytes, more than the whole file`);
      return { type, shape, offset: null, byteLength, compact: new Uint8Array(byteLength) };
    }
    if (this.base + at + byteLength > this.file.fileSize)
      throw damaged(`dataset '${path}' (${byteLength} bytes at ${at}) extends past the end of the file (truncated?)`);
    return { type, shape, offset: this.base + at, byteLength };
  }

  private attributes(path: string): DecodedAttribute[] {
    const address = this.resolve(path);
    if (address === null) throw new FormatError(`has no HDF5 object '${path}'.`);
    const obj = this.object(address);
    if (obj.messages.some((m) => m.type === 0x15)) throw new Hdf5Unsupported("dense attribute storage");
    return obj.messages
      .filter((m) => m.type === 0x0c)
      .map(({ data }) => decodeAttribute(data, this.file.sizeOfLengths));
  }

  private attrValue(a: DecodedAttribute): string | string[] | number[] | bigint[] {
    return attributeValue(a, this.file.sizeOfOffsets, (collection, index) =>
      this.file.globalHeapObject(collection, index),
    );
  }
}

function normalize(path: string): string {
  const parts = path.split("/").filter(Boolean);
  return parts.length ? `/${parts.join("/")}` : "";
}

const UTF8_DECODER = new TextDecoder();
