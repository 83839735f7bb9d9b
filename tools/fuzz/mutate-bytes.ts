import type { Rng } from "./rng.js";

/** Integers that break size and offset arithmetic: zero, one, sign and width boundaries. */
export const INTERESTING_INTS = [
  0, 1, 2, 7, 8, 16, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff,
];

/**
 * Byte-level mutations of a file: bit flips, interesting integers written over 1, 2, 4 or 8 bytes (both
 * byte orders), truncation, chunks deleted, duplicated, inserted or spliced in from another file.
 * `hot` lists offsets worth hitting (a format's structures); positions are drawn near them half the time.
 */
export function mutateBytes(rng: Rng, input: Uint8Array, donor: Uint8Array, hot: number[] = []): Uint8Array {
  let bytes: Uint8Array = input.slice();
  const rounds = 1 + (rng.chance(0.7) ? 0 : rng.int(8));
  for (let r = 0; r < rounds; r++) bytes = mutateOnce(rng, bytes, donor, hot);
  return bytes;
}

function position(rng: Rng, length: number, hot: number[]): number {
  if (length === 0) return 0;
  if (hot.length && rng.chance(0.5)) return Math.min(length - 1, rng.pick(hot) + rng.int(64));
  return rng.int(length);
}

function mutateOnce(rng: Rng, bytes: Uint8Array, donor: Uint8Array, hot: number[]): Uint8Array {
  const at = position(rng, bytes.length, hot);
  switch (rng.int(9)) {
    case 0: // flip one bit
      if (bytes.length) bytes[at] = bytes[at]! ^ (1 << rng.int(8));
      return bytes;
    case 1: // one byte to an interesting value
      if (bytes.length) bytes[at] = rng.pick([0, 1, 0x7f, 0x80, 0xff, rng.int(256)]);
      return bytes;
    case 2: // an interesting integer over 2, 4 or 8 bytes
      return writeInt(rng, bytes, at);
    case 3: // truncate
      return bytes.subarray(0, rng.int(bytes.length + 1)).slice();
    case 4: // delete a chunk
      return splice(bytes, at, 1 + rng.int(Math.max(1, Math.min(256, bytes.length - at))), new Uint8Array(0));
    case 5: // duplicate a chunk in place
      return splice(bytes, at, 0, bytes.slice(at, at + 1 + rng.int(256)));
    case 6: // insert random bytes
      return splice(
        bytes,
        at,
        0,
        Uint8Array.from({ length: 1 + rng.int(32) }, () => rng.int(256)),
      );
    case 7: {
      // splice in a chunk of the donor (another file of the same format)
      const from = rng.int(Math.max(1, donor.length));
      const chunk = donor.slice(from, from + 1 + rng.int(1024));
      return rng.chance(0.5) ? splice(bytes, at, chunk.length, chunk) : splice(bytes, at, 0, chunk);
    }
    default: // overwrite a run of bytes with one value
      bytes.fill(rng.pick([0, 0xff, 0x41]), at, at + 1 + rng.int(16));
      return bytes;
  }
}

function writeInt(rng: Rng, bytes: Uint8Array, at: number): Uint8Array {
  const width = rng.pick([2, 4, 8]);
  if (at + width > bytes.length) return bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = rng.chance(0.8);
  const value = rng.chance(0.2) ? -1 : rng.pick(INTERESTING_INTS);
  if (width === 2) view.setUint16(at, value & 0xffff, little);
  else if (width === 4) view.setUint32(at, value >>> 0, little);
  else view.setBigUint64(at, rng.chance(0.3) ? 2n ** 63n - 1n : BigInt.asUintN(64, BigInt(value)), little);
  return bytes;
}

function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length - Math.min(remove, bytes.length - at) + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

/** Offsets where `needle` (ASCII) occurs in `bytes`, at most `limit` of them. */
export function offsetsOf(bytes: Uint8Array, needle: string, limit = 256): number[] {
  const codes = [...needle].map((c) => c.charCodeAt(0));
  const out: number[] = [];
  for (let i = bytes.indexOf(codes[0]!); i >= 0 && out.length < limit; i = bytes.indexOf(codes[0]!, i + 1)) {
    if (codes.every((c, k) => bytes[i + k] === c)) out.push(i);
  }
  return out;
}
