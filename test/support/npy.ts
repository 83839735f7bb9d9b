import { readFileSync } from "node:fs";

/** A NumPy `.npy` file's dtype descr, shape and raw little-endian bytes (enough for the fixtures' arrays). */
export function readNpy(path: string): { descr: string; shape: number[]; bytes: Uint8Array } {
  const buf = new Uint8Array(readFileSync(path));
  if (buf[0] !== 0x93 || String.fromCharCode(...buf.subarray(1, 6)) !== "NUMPY")
    throw new Error(`${path} is not an .npy file`);
  const major = buf[6]!;
  const view = new DataView(buf.buffer, buf.byteOffset);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(buf.subarray(start, start + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)![1]!;
  if (/'fortran_order':\s*True/.test(header)) throw new Error(`${path}: Fortran order is not supported`);
  const shape = /'shape':\s*\(([^)]*)\)/
    .exec(header)![1]!
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(Number);
  return { descr, shape, bytes: buf.subarray(start + headerLen) };
}
