import { readFile } from "node:fs/promises";
import { FormatError } from "../../ir/errors.js";
import type { TypedArray } from "../../ir/weights.js";
import { tensorBytes } from "../limits.js";
import { ARRAY_TYPES, type NdArray, sizeOfShape } from "./array.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** NumPy `descr` kinds+sizes → dtype names (byte order is read separately). */
const DESCR: Record<string, string> = {
  f2: "float16",
  f4: "float32",
  f8: "float64",
  i1: "int8",
  i2: "int16",
  i4: "int32",
  i8: "int64",
  u1: "uint8",
  u2: "uint16",
  u4: "uint32",
  u8: "uint64",
  b1: "bool",
};

/** Reads a `.npy` file (format 1.0–3.0, as `numpy.save` writes): dtype, shape and C-order values. */
export async function readNpyFile(path: string): Promise<NdArray> {
  return parseNpy(new Uint8Array(await readFile(path)), path);
}

/**
 * Parses `.npy` bytes. Little- and big-endian data are read; Fortran-ordered arrays are transposed to
 * C order. Object arrays, structured dtypes and strings are refused with a FormatError.
 */
export function parseNpy(bytes: Uint8Array, file?: string): NdArray {
  const fail = (msg: string): never => {
    throw new FormatError(`is not a NumPy .npy array: ${msg}`, { file });
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail("it does not start with \\x93NUMPY");
  const major = bytes[6]!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  if (headerStart + headerLen > bytes.length) fail(`its header (${headerLen} bytes) runs past the end of the file`);
  const header = new TextDecoder(major >= 3 ? "utf-8" : "latin1").decode(
    bytes.subarray(headerStart, headerStart + headerLen),
  );
  const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1] === "True";
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || shapeText === undefined) fail(`cannot read its header. Received: ${header.trim()}`);
  const shape = shapeText!
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0))
    fail(`its shape is not a tuple of sizes. Received: (${shapeText})`);
  const order = descr![0]!;
  const dtype = Object.hasOwn(DESCR, descr!.slice(1)) ? DESCR[descr!.slice(1)] : undefined;
  if (!dtype || !"<>|=".includes(order)) {
    fail(`dtype '${descr}' is not a numeric dtype kerasgraph reads (float16/32/64, int8–64, uint8–64, bool)`);
  }
  const Ctor = ARRAY_TYPES[dtype!]!;
  const n = sizeOfShape(shape);
  const itemSize = new Ctor(0).BYTES_PER_ELEMENT;
  tensorBytes(shape, itemSize, `the array (shape (${shape.join(", ")}) of ${descr})`, file); // LimitError before any allocation
  const start = headerStart + headerLen;
  if (start + n * itemSize > bytes.length) {
    fail(
      `it declares shape (${shape.join(", ")}) of ${descr}, ${n * itemSize} bytes, but holds ${bytes.length - start}`,
    );
  }
  const raw = bytes.slice(start, start + n * itemSize);
  if (order === ">" && itemSize > 1) swapBytes(raw, itemSize);
  const View = Ctor as unknown as new (b: ArrayBuffer, offset: number, length: number) => TypedArray;
  let data = new View(raw.buffer as ArrayBuffer, 0, n);
  if (fortran && shape.length > 1) data = fortranToC(data, shape);
  return { dtype: dtype!, shape, data };
}

function swapBytes(raw: Uint8Array, size: number): void {
  for (let i = 0; i < raw.length; i += size) raw.subarray(i, i + size).reverse();
}

/** Column-major values → row-major values of the same shape. */
function fortranToC(src: TypedArray, shape: number[]): TypedArray {
  const out = src.slice() as TypedArray;
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  const fStrides = shape.map((_, i) => shape.slice(0, i).reduce((a, b) => a * b, 1));
  for (let c = 0; c < src.length; c++) {
    let f = 0;
    for (let k = 0; k < rank; k++) f += idx[k]! * fStrides[k]!;
    (out as unknown as number[])[c] = (src as unknown as number[])[f]!;
    for (let k = rank - 1; k >= 0; k--) {
      if (++idx[k]! < shape[k]!) break;
      idx[k] = 0;
    }
  }
  return out;
}
