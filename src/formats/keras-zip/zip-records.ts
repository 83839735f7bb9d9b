/**
 * The records of a zip of stored members as zip-writer.ts writes them (APPNOTE 6.3): a local header
 * before each member's data, a data descriptor after it (the CRC and sizes are known only then), then
 * the central directory and its end record. Sizes and offsets that do not fit 32 bits go in zip64
 * records (the `0x0001` extra field, 8-byte descriptor sizes, the zip64 end record and its locator), as
 * Python's `zipfile` writes them for Keras; an archive that needs none is byte for byte what fflate's
 * `Zip` wrote before.
 */

/** Sizes, offsets and counts at or past these are zip64's (the maximum itself is zip64's marker). */
export const MAX_32 = 0xffffffff;
const MAX_16 = 0xffff;
/** Where zip64 starts: MAX_32, or lower for tests of the zip64 records on small archives. */
let zip64From = MAX_32;

/** Sets the size and offset from which zip64 records are written (tests; default 0xffffffff). */
export function setZip64FromBytes(bytes: number): void {
  zip64From = bytes;
}

/** Whether a size or offset goes in zip64 records. */
export function needsZip64(n: number): boolean {
  return n >= zip64From;
}

/** One member as the central directory records it. */
export interface MemberRecord {
  name: Uint8Array;
  /** The name is not ASCII: flag bit 11 says it is UTF-8. */
  utf8: boolean;
  /** DOS time (low 16 bits) and date (high 16 bits). */
  dosTime: number;
  crc: number;
  size: number;
  /** Where its local header starts. */
  offset: number;
  /** Its local header has a zip64 extra field, so its data descriptor holds 8-byte sizes. */
  zip64: boolean;
}

/** `d` in local time as zip headers hold it (2-second steps; clamped to 1980–2107, the years they can hold). */
export function dosDateTime(d: Date): number {
  const year = Math.min(Math.max(d.getFullYear(), 1980), 2107) - 1980;
  const date = (year << 9) | ((d.getMonth() + 1) << 5) | d.getDate();
  const time = (d.getHours() << 11) | (d.getMinutes() << 5) | (d.getSeconds() >> 1);
  return ((date << 16) | time) >>> 0;
}

/** The local header: CRC and sizes follow in the data descriptor (flag bit 3). */
export function localHeader(m: MemberRecord): Uint8Array {
  const extra = m.zip64 ? zip64Extra([0, 0]) : new Uint8Array(0);
  const out = new Uint8Array(30 + m.name.length + extra.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x04034b50, true);
  v.setUint16(4, m.zip64 ? 45 : 20, true);
  v.setUint16(6, flags(m), true);
  v.setUint32(10, m.dosTime, true);
  if (m.zip64) {
    v.setUint32(18, MAX_32, true);
    v.setUint32(22, MAX_32, true);
  }
  v.setUint16(26, m.name.length, true);
  v.setUint16(28, extra.length, true);
  out.set(m.name, 30);
  out.set(extra, 30 + m.name.length);
  return out;
}

/** The data descriptor after a member's data: its CRC and sizes (8 bytes each for a zip64 member). */
export function dataDescriptor(m: MemberRecord): Uint8Array {
  const out = new Uint8Array(m.zip64 ? 24 : 16);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x08074b50, true);
  v.setUint32(4, m.crc, true);
  if (m.zip64) {
    v.setBigUint64(8, BigInt(m.size), true);
    v.setBigUint64(16, BigInt(m.size), true);
  } else {
    v.setUint32(8, m.size, true);
    v.setUint32(12, m.size, true);
  }
  return out;
}

/** The central directory of `members`, starting at byte `at`, with its end record(s). */
export function centralDirectory(members: MemberRecord[], at: number): Uint8Array {
  const entries = members.map(centralEntry);
  const size = entries.reduce((n, e) => n + e.length, 0);
  const zip64 = members.length >= MAX_16 || needsZip64(size) || needsZip64(at);
  const out = new Uint8Array(size + (zip64 ? 56 + 20 : 0) + 22);
  let p = 0;
  for (const e of entries) out.set(e, (p += e.length) - e.length);
  const v = new DataView(out.buffer);
  if (zip64) {
    // The zip64 end record, then the locator saying where it is.
    v.setUint32(p, 0x06064b50, true);
    v.setBigUint64(p + 4, 44n, true);
    v.setUint16(p + 12, 45, true);
    v.setUint16(p + 14, 45, true);
    v.setBigUint64(p + 24, BigInt(members.length), true);
    v.setBigUint64(p + 32, BigInt(members.length), true);
    v.setBigUint64(p + 40, BigInt(size), true);
    v.setBigUint64(p + 48, BigInt(at), true);
    v.setUint32(p + 56, 0x07064b50, true);
    v.setBigUint64(p + 64, BigInt(at + size), true);
    v.setUint32(p + 72, 1, true);
    p += 76;
  }
  v.setUint32(p, 0x06054b50, true);
  v.setUint16(p + 8, Math.min(members.length, MAX_16), true);
  v.setUint16(p + 10, Math.min(members.length, MAX_16), true);
  v.setUint32(p + 12, needsZip64(size) ? MAX_32 : size, true);
  v.setUint32(p + 16, needsZip64(at) ? MAX_32 : at, true);
  return out;
}

function centralEntry(m: MemberRecord): Uint8Array {
  // The fields past 32 bits go in the zip64 extra, in this order; theirs hold the marker.
  const big = [needsZip64(m.size), needsZip64(m.size), needsZip64(m.offset)];
  const values = [m.size, m.size, m.offset].filter((_, i) => big[i]);
  const extra = values.length ? zip64Extra(values) : new Uint8Array(0);
  const version = values.length || m.zip64 ? 45 : 20;
  const out = new Uint8Array(46 + m.name.length + extra.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0x02014b50, true);
  v.setUint16(4, version, true);
  v.setUint16(6, version, true);
  v.setUint16(8, flags(m), true);
  v.setUint32(12, m.dosTime, true);
  v.setUint32(16, m.crc, true);
  v.setUint32(20, big[1] ? MAX_32 : m.size, true);
  v.setUint32(24, big[0] ? MAX_32 : m.size, true);
  v.setUint16(28, m.name.length, true);
  v.setUint16(30, extra.length, true);
  v.setUint32(42, big[2] ? MAX_32 : m.offset, true);
  out.set(m.name, 46);
  out.set(extra, 46 + m.name.length);
  return out;
}

/** General-purpose flags: 3, sizes in a data descriptor; 11, a UTF-8 name. */
function flags(m: MemberRecord): number {
  return 0x08 | (m.utf8 ? 0x800 : 0);
}

/** The zip64 extended information extra field (header id 0x0001) holding `values` as 8-byte integers. */
function zip64Extra(values: number[]): Uint8Array {
  const out = new Uint8Array(4 + 8 * values.length);
  const v = new DataView(out.buffer);
  v.setUint16(0, 0x0001, true);
  v.setUint16(2, 8 * values.length, true);
  values.forEach((x, i) => v.setBigUint64(4 + 8 * i, BigInt(x), true));
  return out;
}
