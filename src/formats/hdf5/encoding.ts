import { FormatError } from "../../ir/errors.js";
import type { WeightData } from "../../ir/weights.js";
import type { H5Attr } from "./tree.js";

/**
 * The byte encodings of HDF5's metadata that h5py's layout uses (file format specification, version 0
 * superblock family): version-1 object headers and their messages — dataspace, datatype, fill value,
 * layout, attribute — with 8-byte offsets and lengths.
 */
export const O = 8; // size of offsets
export const L = 8; // size of lengths
export const UNDEF = 0xffffffffffffffffn;
export const textEncoder = new TextEncoder();

export function pad8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/** A growable little-endian byte writer. */
export class Bytes {
  buf: Uint8Array;
  view: DataView;
  at = 0;
  constructor(size: number) {
    this.buf = new Uint8Array(size);
    this.view = new DataView(this.buf.buffer);
  }
  u8(v: number) {
    this.view.setUint8(this.at, v);
    this.at += 1;
  }
  u16(v: number) {
    this.view.setUint16(this.at, v, true);
    this.at += 2;
  }
  u32(v: number) {
    this.view.setUint32(this.at, v, true);
    this.at += 4;
  }
  u64(v: number | bigint) {
    this.view.setBigUint64(this.at, typeof v === "bigint" ? v : BigInt(v), true);
    this.at += 8;
  }
  bytes(b: Uint8Array) {
    this.buf.set(b, this.at);
    this.at += b.length;
  }
  ascii(s: string) {
    for (let i = 0; i < s.length; i++) this.u8(s.charCodeAt(i));
  }
  zeros(n: number) {
    this.at += n;
  }
}

/** An encoded message: its type and data (padded to 8 bytes when written). */
export type Message = [type: number, data: Uint8Array];

export function encode(size: number, fill: (b: Bytes) => void): Uint8Array {
  const b = new Bytes(size);
  fill(b);
  return b.buf;
}

export function headerSize(messages: Message[]): number {
  return 16 + messages.reduce((n, [, data]) => n + 8 + pad8(data.length), 0);
}

export function writeHeader(out: Bytes, address: number, messages: Message[]): void {
  out.at = address;
  out.u8(1);
  out.u8(0);
  out.u16(messages.length);
  out.u32(1);
  out.u32(headerSize(messages) - 16);
  out.zeros(4);
  for (const [type, data] of messages) {
    out.u16(type);
    out.u16(pad8(data.length));
    out.u8(type === 0x03 || type === 0x05 ? 1 : 0); // datatype and fill value are constant
    out.zeros(3);
    out.bytes(data);
    out.zeros(pad8(data.length) - data.length);
  }
}

export function storedType(data: WeightData): { cls: "float" | "int" | "bool"; size: number; signed: boolean } {
  const d = data.dtype;
  if (d === "bfloat16" || d === "float32") return { cls: "float", size: 4, signed: true };
  if (d === "float16") return { cls: "float", size: 2, signed: true };
  if (d === "float64") return { cls: "float", size: 8, signed: true };
  if (d === "bool") return { cls: "bool", size: 1, signed: true };
  const m = /^(u?)int(8|16|32|64)$/.exec(d);
  if (m) return { cls: "int", size: Number(m[2]) / 8, signed: m[1] === "" };
  throw new FormatError(`cannot store dtype '${d}' in HDF5.`);
}

export function dataspace(shape: number[]): Uint8Array {
  return encode(8 + 2 * shape.length * L, (b) => {
    b.u8(1);
    b.u8(shape.length);
    b.u8(shape.length ? 1 : 0); // maximum dimensions present (equal to the dimensions), as h5py writes
    b.zeros(5);
    for (const d of shape) b.u64(d);
    for (const d of shape) b.u64(d);
  });
}

export function datatype(data: WeightData): Uint8Array {
  const t = storedType(data);
  if (t.cls === "float") return floatType(t.size);
  if (t.cls === "int") return intType(t.size, t.signed);
  // h5py's bool: an enum FALSE=0, TRUE=1 over int8.
  const base = intType(1, true);
  return encode(8 + base.length + 16 + 2, (b) => {
    b.u8(0x18);
    b.u8(2);
    b.u8(0);
    b.u8(0);
    b.u32(1);
    b.bytes(base);
    b.ascii("FALSE");
    b.zeros(3);
    b.ascii("TRUE");
    b.zeros(4);
    b.u8(0);
    b.u8(1);
  });
}

function floatType(size: number): Uint8Array {
  const [exp, expSize, mantSize, bias] =
    size === 2 ? [10, 5, 10, 15] : size === 4 ? [23, 8, 23, 127] : [52, 11, 52, 1023];
  return encode(20, (b) => {
    b.u8(0x11);
    b.u8(0x20); // little-endian, mantissa normalization: implied leading 1
    b.u8(size * 8 - 1); // sign bit position
    b.u8(0);
    b.u32(size);
    b.u16(0);
    b.u16(size * 8);
    b.u8(exp);
    b.u8(expSize);
    b.u8(0);
    b.u8(mantSize);
    b.u32(bias);
  });
}

function intType(size: number, signed: boolean): Uint8Array {
  return encode(12, (b) => {
    b.u8(0x10);
    b.u8(signed ? 0x08 : 0);
    b.u8(0);
    b.u8(0);
    b.u32(size);
    b.u16(0);
    b.u16(size * 8);
  });
}

/** h5py's str/bytes: variable-length strings (UTF-8 or ASCII) over unsigned chars. */
function vlenStringType(cset: number): Uint8Array {
  return encode(20, (b) => {
    b.u8(0x19);
    b.u8(0x01); // a string, null-terminated
    b.u8(cset);
    b.u8(0);
    b.u32(4 + O + 4);
    b.bytes(intType(1, false));
  });
}

function fixedStringType(size: number): Uint8Array {
  return encode(8, (b) => {
    b.u8(0x13);
    b.u8(0x01); // null-padded ASCII, as NumPy's "S" arrays
    b.u8(0);
    b.u8(0);
    b.u32(size);
  });
}

export function attributeMessages(
  attrs: Map<string, H5Attr>,
  strings: Map<string, { collection: number; index: number }> | null,
): Message[] {
  const out: Message[] = [];
  for (const [name, a] of attrs) {
    let type: Uint8Array;
    let space: Uint8Array;
    let data: Uint8Array;
    if (a.kind === "empty") {
      type = floatType(8);
      space = dataspace([0]);
      data = new Uint8Array(0);
    } else if (a.kind === "texts" && a.fixed) {
      const encoded = a.values.map((v) => textEncoder.encode(v));
      const width = Math.max(1, ...encoded.map((e) => e.length));
      type = fixedStringType(width);
      space = dataspace([a.values.length]);
      data = new Uint8Array(width * a.values.length);
      encoded.forEach((e, i) => data.set(e, i * width));
    } else {
      const values = a.kind === "text" ? [a.value] : a.values;
      type = vlenStringType(a.kind === "text" && a.cset === "utf8" ? 1 : 0);
      space = dataspace(a.kind === "text" ? [] : [values.length]);
      data = encode(values.length * 16, (b) => {
        for (const v of values) {
          const ref = strings?.get(v);
          b.u32(textEncoder.encode(v).length);
          b.u64(ref?.collection ?? 0);
          b.u32(ref?.index ?? 0);
        }
      });
    }
    const nameBytes = textEncoder.encode(name);
    const message = encode(
      8 + pad8(nameBytes.length + 1) + pad8(type.length) + pad8(space.length) + data.length,
      (b) => {
        b.u8(1);
        b.u8(0);
        b.u16(nameBytes.length + 1);
        b.u16(type.length);
        b.u16(space.length);
        b.bytes(nameBytes);
        b.zeros(pad8(nameBytes.length + 1) - nameBytes.length);
        b.bytes(type);
        b.zeros(pad8(type.length) - type.length);
        b.bytes(space);
        b.zeros(pad8(space.length) - space.length);
        b.bytes(data);
      },
    );
    if (message.length > 65535) {
      throw new FormatError(
        `HDF5 attribute '${name}' is ${message.length} bytes; an object header message holds at most 65535.`,
      );
    }
    out.push([0x0c, message]);
  }
  return out;
}
