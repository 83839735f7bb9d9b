import { FormatError } from "../../ir/errors.js";

/**
 * Decoding of the HDF5 object header messages the subset reader understands: datatypes (fixed-point,
 * float, strings, enums, opaque), dataspaces, and attributes (versions 1 to 3). Anything else is
 * Hdf5Unsupported, so that the HDF5 library takes over.
 */
export class Hdf5Unsupported extends Error {
  override name = "Hdf5Unsupported";
  /**
   * @param newerFormat a newer HDF5 generation (superblock 2 or 3, a user block): the HDF5 library reads
   *   it without being asked, since its structures carry checksums the library verifies.
   */
  constructor(
    message: string,
    readonly newerFormat = false,
  ) {
    super(message);
  }
}

/** A damaged file: a FormatError (the reader names the file), never a fallback to the HDF5 library. */
export function damaged(why: string): FormatError {
  return new FormatError(`is a damaged HDF5 file: ${why}.`);
}

export interface H5Type {
  /** 0 fixed-point, 1 float, 3 string, 5 opaque, 8 enum, 9 variable-length. */
  cls: number;
  size: number;
  signed: boolean;
  littleEndian: boolean;
  /** Strings: variable-length (class 9 over characters), and the character set (0 ASCII, 1 UTF-8). */
  vlenString: boolean;
  cset: number;
  /** Fixed-length strings: 0 null-terminated, 1 null-padded, 2 space-padded. */
  padding: number;
  /** Enums: the names of the members (h5py's bool is an int8 enum FALSE/TRUE). */
  enumNames?: string[];
}

export interface DecodedAttribute {
  name: string;
  type: H5Type;
  shape: number[];
  data: Uint8Array;
}

export function decodeDatatype(buf: Uint8Array): H5Type {
  const cls = buf[0]! & 0x0f;
  const bits = buf[1]! | (buf[2]! << 8) | (buf[3]! << 16);
  const size = readUint(buf, 4, 4);
  const type: H5Type = {
    cls,
    size,
    signed: false,
    littleEndian: (bits & 1) === 0,
    vlenString: false,
    cset: 0,
    padding: 0,
  };
  if (cls === 0) type.signed = (bits & 0x08) !== 0;
  else if (cls === 1) {
    if (bits & 0x40) throw new Hdf5Unsupported("VAX float");
  } else if (cls === 3) {
    type.cset = (bits >> 4) & 0x0f;
    type.padding = bits & 0x0f;
    type.littleEndian = true;
  } else if (cls === 9) {
    if ((bits & 0x0f) !== 1) throw new Hdf5Unsupported("variable-length sequence");
    type.vlenString = true;
    type.cset = (bits >> 8) & 0x0f;
    type.littleEndian = true;
  } else if (cls === 8) {
    const baseType = decodeDatatype(buf.subarray(8));
    const count = bits & 0xffff;
    const names: string[] = [];
    let at = 8 + 8 + (baseType.cls === 0 ? 4 : 12);
    for (let i = 0; i < count; i++) {
      let end = at;
      while (end < buf.length && buf[end] !== 0) end++;
      if (end >= buf.length) throw damaged(`enum member ${i} of ${count} runs past its datatype message`);
      names.push(ascii(buf, at, end - at));
      at += buf[0]! >> 4 >= 3 ? end - at + 1 : Math.ceil((end - at + 1) / 8) * 8;
    }
    return { ...baseType, cls, enumNames: names };
  } else if (cls > 10) throw damaged(`datatype class ${cls} (HDF5 has 0 to 10)`);
  else if (cls !== 5) throw new Hdf5Unsupported(`datatype class ${cls}`);
  return type;
}

export function decodeDataspace(buf: Uint8Array, sizeOfLengths: number): number[] {
  const version = buf[0]!;
  const rank = buf[1]!;
  const flags = buf[2]!;
  if (version === 2 && buf[3] === 2) return [0]; // null dataspace: no elements
  const start = version === 1 ? 8 : 4;
  if (version !== 1 && version !== 2) throw damaged(`dataspace version ${version} (HDF5 has 1 and 2)`);
  if (rank > 32) throw damaged(`a dataspace of rank ${rank} (HDF5 allows 32)`);
  void flags;
  return Array.from({ length: rank }, (_, i) => readUint(buf, start + i * sizeOfLengths, sizeOfLengths));
}

export function decodeAttribute(data: Uint8Array, sizeOfLengths: number): DecodedAttribute {
  const version = data[0]!;
  if (version < 1 || version > 3) throw damaged(`attribute message version ${version} (HDF5 has 1 to 3)`);
  const nameSize = readUint(data, 2, 2);
  const typeSize = readUint(data, 4, 2);
  const spaceSize = readUint(data, 6, 2);
  const pad = (n: number) => (version === 1 ? Math.ceil(n / 8) * 8 : n);
  let at = version === 3 ? 9 : 8;
  const name = new TextDecoder().decode(data.subarray(at, at + nameSize - 1));
  at += pad(nameSize);
  const type = decodeDatatype(data.subarray(at, at + typeSize));
  at += pad(typeSize);
  const shape = decodeDataspace(data.subarray(at, at + spaceSize), sizeOfLengths);
  at += pad(spaceSize);
  return { name, type, shape, data: data.subarray(at) };
}

/** An attribute's value; variable-length strings are looked up in the global heap through `heapObject`. */
export function attributeValue(
  a: DecodedAttribute,
  sizeOfOffsets: number,
  heapObject: (collection: number, index: number) => Uint8Array,
): string | string[] | number[] | bigint[] {
  const count = a.shape.reduce((x, y) => x * y, 1);
  const scalar = a.shape.length === 0;
  const { type } = a;
  const itemSize = type.vlenString ? 4 + sizeOfOffsets + 4 : type.size;
  if (count * itemSize > a.data.length || (type.size === 0 && count > a.data.length)) {
    throw damaged(
      `attribute '${a.name}' declares ${count} value(s) of ${itemSize} bytes in a ${a.data.length}-byte message`,
    );
  }
  let strings: string[] | null = null;
  if (type.vlenString) {
    const item = 4 + sizeOfOffsets + 4;
    strings = Array.from({ length: count }, (_, i) => {
      const length = readUint(a.data, i * item, 4);
      const collection = readUint(a.data, i * item + 4, sizeOfOffsets);
      const index = readUint(a.data, i * item + 4 + sizeOfOffsets, 4);
      return new TextDecoder().decode(heapObject(collection, index).subarray(0, length));
    });
  } else if (type.cls === 3) {
    strings = Array.from({ length: count }, (_, i) => {
      const raw = a.data.subarray(i * type.size, (i + 1) * type.size);
      let end = raw.indexOf(0);
      if (end < 0) end = raw.length;
      const text = new TextDecoder().decode(raw.subarray(0, end));
      return type.padding === 2 ? text.replace(/ +$/, "") : text;
    });
  }
  if (strings) return scalar ? strings[0]! : strings;
  if (type.cls === 0 || type.cls === 1 || type.cls === 8) {
    const values: (number | bigint)[] = [];
    const view = new DataView(a.data.buffer, a.data.byteOffset, a.data.byteLength);
    for (let i = 0; i < count; i++) values.push(numberAt(view, i * type.size, type));
    return values as number[] | bigint[];
  }
  throw new Hdf5Unsupported(`attribute of datatype class ${type.cls}`);
}

export function readUint(buf: Uint8Array, at: number, size: number): number {
  if (at + size > buf.length) throw damaged(`a ${size}-byte field at ${at} runs past its ${buf.length}-byte structure`);
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + buf[at + i]!;
  return v;
}

function numberAt(view: DataView, at: number, type: H5Type): number | bigint {
  const le = type.littleEndian;
  if (type.cls === 1) return type.size === 8 ? view.getFloat64(at, le) : view.getFloat32(at, le);
  switch (type.size) {
    case 1:
      return type.signed ? view.getInt8(at) : view.getUint8(at);
    case 2:
      return type.signed ? view.getInt16(at, le) : view.getUint16(at, le);
    case 4:
      return type.signed ? view.getInt32(at, le) : view.getUint32(at, le);
    default:
      return type.signed ? view.getBigInt64(at, le) : view.getBigUint64(at, le);
  }
}

export function ascii(buf: Uint8Array, at: number, length: number): string {
  let text = "";
  for (let i = at, end = Math.min(at + length, buf.length); i < end; i++) text += String.fromCharCode(buf[i]!);
  return text;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/**
 * Names in HDF5's order for a group's members: by their bytes (strcmp). No Buffer, so that the browser
 * viewer can read files too. ASCII names (nearly all) sort as their UTF-16 code units do, with the
 * engine's own comparison; others are encoded once each, not once per comparison.
 */
export function sortedByBytes(names: Iterable<string>): string[] {
  const list = [...names];
  if (list.every(isAscii)) return list.sort();
  const encoded = list.map((name) => ({ name, bytes: UTF8.encode(name) }));
  encoded.sort(({ bytes: x }, { bytes: y }) => {
    for (let i = 0; i < x.length && i < y.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return x.length - y.length;
  });
  return encoded.map((e) => e.name);
}

const UTF8 = new TextEncoder();
