import { writeFile } from "node:fs/promises";
import { writeAtomically } from "../atomic-write.js";
import type { NdArray } from "./array.js";

const DESCR: Record<string, string> = {
  float16: "<f2",
  float32: "<f4",
  float64: "<f8",
  int8: "|i1",
  int16: "<i2",
  int32: "<i4",
  int64: "<i8",
  uint8: "|u1",
  uint16: "<u2",
  uint32: "<u4",
  uint64: "<u8",
  bool: "|b1",
};

/** `numpy.save`'s bytes (format 1.0, C order, little-endian) for an array. */
export function formatNpy(array: NdArray): Uint8Array {
  const descr = DESCR[array.dtype];
  if (!descr) throw new RangeError(`cannot write dtype '${array.dtype}' to .npy. Received: ${array.dtype}`);
  const shape = array.shape.length === 1 ? `(${array.shape[0]},)` : `(${array.shape.join(", ")})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  // NumPy pads the header with spaces and ends it with \n so that the data starts 64-byte aligned.
  const total = 10 + header.length + 1;
  header += " ".repeat((64 - (total % 64)) % 64) + "\n";
  const head = new TextEncoder().encode(header);
  const data = new Uint8Array(array.data.buffer, array.data.byteOffset, array.data.byteLength);
  const out = new Uint8Array(10 + head.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, head.length, true);
  out.set(head, 10);
  out.set(data, 10 + head.length);
  return out;
}

/** Writes `.npy` bytes whole or not at all (a temporary file beside `path`, renamed). */
export async function writeNpyFile(path: string, array: NdArray): Promise<void> {
  const bytes = formatNpy(array);
  await writeAtomically(path, (temp) => writeFile(temp, bytes));
}
