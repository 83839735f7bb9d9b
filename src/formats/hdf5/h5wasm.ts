import type { File as H5File, Group as H5Group } from "h5wasm/node";
import { FormatError } from "../ir/errors.js";
import { type TypedArray, WeightData } from "../ir/weights.js";
import { castWeight } from "./weight-values.js";

/**
 * The HDF5 library (h5wasm's Node build, which reads and writes host files by path), loaded once on
 * first use. Its raw module is used for dataset bytes: h5wasm's high-level reader has no float16, and
 * both directions copy through the WebAssembly heap only once.
 */
type H5Lib = typeof import("h5wasm/node").default;
type H5Module = Awaited<H5Lib["ready"]>;
type Metadata = ReturnType<H5Module["get_dataset_metadata"]>;

let lib: { h5: H5Lib; module: H5Module } | undefined;
let loading: Promise<void> | undefined;

export async function loadHdf5(): Promise<void> {
  loading ??= (async () => {
    const h5 = (await import("h5wasm/node")).default;
    const module = await h5.ready;
    // HDF5 errors become exceptions carrying HDF5's own trace, instead of text printed to stderr.
    module.activate_throwing_error_handler();
    lib = { h5, module };
  })();
  await loading;
}

function hdf5(): { h5: H5Lib; module: H5Module } {
  if (!lib) throw new Error("internal: HDF5 used before loadHdf5() finished");
  return lib;
}

/** Opens an HDF5 file ("r" to read, "w" to create or truncate); HDF5's errors become FormatError naming it. */
export function openHdf5(path: string, mode: "r" | "w"): H5File {
  try {
    return new (hdf5().h5.File)(path, mode);
  } catch (e) {
    const why = firstLine(e);
    throw new FormatError(
      `cannot be opened as HDF5 (${mode === "r" ? "corrupt or truncated?" : "not writable?"}). Received: ${why}`,
      {
        file: path,
        cause: e,
      },
    );
  }
}

/** HDF5's trace is long; the last line names the cause ("file signature not found", "truncated file"). */
export function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const lines = text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const detail = lines.filter((l) => /^#\d+/.test(l)).at(-1);
  return (detail ?? lines[0] ?? text).replace(/^#\d+:\s*\S+ line \d+ in \S+\(\):\s*/, "");
}

export type H5Kind = "group" | "dataset" | null;

/** What sits at `path` (absolute, or relative to the root). */
export function kindAt(file: H5File, path: string): H5Kind {
  const entity = file.get(path);
  if (entity instanceof hdf5().h5.Group) return "group";
  if (entity instanceof hdf5().h5.Dataset) return "dataset";
  return null;
}

/** The names in a group, in HDF5's order (by name, as h5py lists them). */
export function childNames(file: H5File, path: string): string[] {
  return hdf5().module.get_names(file.file_id, abs(path), false);
}

export function group(file: H5File, path: string): H5Group {
  const g = file.get(path);
  if (!(g instanceof hdf5().h5.Group))
    throw new FormatError(`has no HDF5 group '${abs(path)}'.`, { file: file.filename });
  return g;
}

function abs(path: string): string {
  return path.startsWith("/") ? path : `/${path}`;
}

const ARRAYS: Record<string, new (buffer: ArrayBuffer) => TypedArray> = {
  float32: Float32Array,
  float64: Float64Array,
  float16: Uint16Array,
  bfloat16: Uint16Array,
  int8: Int8Array,
  uint8: Uint8Array,
  bool: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
};

const H5T = { INTEGER: 0, FLOAT: 1, OPAQUE: 5, ENUM: 8 } as const;

/** Keras's dtype name for a dataset's HDF5 type (h5py stores bool as an enum, bfloat16 as opaque bytes). */
function dtypeOf(md: Metadata, declared: string | null, where: () => string): string {
  if (declared === "bfloat16") return "bfloat16";
  if (md.type === H5T.FLOAT && [2, 4, 8].includes(md.size)) return `float${md.size * 8}`;
  if (md.type === H5T.INTEGER && [1, 2, 4, 8].includes(md.size)) return `${md.signed ? "int" : "uint"}${md.size * 8}`;
  if (md.type === H5T.ENUM && md.size === 1) return "bool";
  if (md.type === H5T.OPAQUE && md.size === 2) return "bfloat16";
  throw new FormatError(
    `${where()} has an HDF5 type kerasgraph cannot read as a weight (class ${md.type}, ${md.size} bytes).`,
  );
}

/** The dtype and shape of a dataset, without reading its values. */
export function datasetSpec(file: H5File, path: string): { dtype: string; shape: number[] } {
  const md = hdf5().module.get_dataset_metadata(file.file_id, abs(path));
  const declared = attrText(file, path, "dtype");
  return { dtype: dtypeOf(md, declared, () => `dataset '${abs(path)}'`), shape: md.shape ?? [] };
}

/**
 * Reads a dataset's values as a typed array of its Keras dtype. A bfloat16 that was stored widened to
 * float32 (see writeDataset) comes back as its 16-bit pattern, exactly.
 */
export function readDataset(file: H5File, path: string): WeightData {
  const { module } = hdf5();
  const full = abs(path);
  const md = module.get_dataset_metadata(file.file_id, full);
  const declared = attrText(file, full, "dtype");
  const dtype = dtypeOf(md, declared, () => `dataset '${full}'`);
  const shape = md.shape ?? [];
  const nbytes = md.size * md.total_size;
  const ptr = module._malloc(Math.max(nbytes, 1));
  if (!ptr)
    throw new FormatError(`dataset '${full}' (${nbytes} bytes) does not fit in HDF5's memory.`, {
      file: file.filename,
    });
  let bytes: Uint8Array;
  try {
    module.get_dataset_data(file.file_id, full, null, null, null, BigInt(ptr));
    bytes = module.HEAPU8.slice(ptr, ptr + nbytes);
  } finally {
    module._free(ptr);
  }
  if (dtype === "bfloat16" && md.size === 4) {
    return castWeight(new WeightData("float32", shape, new Float32Array(bytes.buffer)), "bfloat16");
  }
  return new WeightData(dtype, shape, new ARRAYS[dtype]!(bytes.buffer as ArrayBuffer));
}

/**
 * Writes a weight as a contiguous, uncompressed dataset (h5py's default, which Keras uses). h5wasm
 * cannot create 16-bit float types, so float16 is widened to float32 (exact: every float16 is a
 * float32, and Keras casts back on assign) and bfloat16 likewise, tagged `dtype="bfloat16"` as Keras
 * tags its own bfloat16 datasets.
 */
export function writeDataset(file: H5File, path: string, data: WeightData): void {
  const { module } = hdf5();
  const dtype = data.dtype;
  const values = dtype === "float16" || dtype === "bfloat16" ? castWeight(data, "float32").values : data.values;
  const isFloat = values instanceof Float32Array || values instanceof Float64Array;
  const type = isFloat ? H5T.FLOAT : H5T.INTEGER;
  const signed = !isFloat && dtype.startsWith("int");
  const count = data.size;
  if (values.length !== count) {
    throw new FormatError(`weight '${path}' has ${values.length} values for shape (${data.shape.join(", ")}).`);
  }
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const ptr = module._malloc(Math.max(bytes.length, 1));
  if (!ptr)
    throw new FormatError(`weight '${path}' (${bytes.length} bytes) does not fit in HDF5's memory.`, {
      file: file.filename,
    });
  try {
    module.HEAPU8.set(bytes, ptr);
    const shape = data.shape.map(BigInt);
    const status = module.create_dataset(file.file_id, abs(path), BigInt(ptr), {
      type,
      size: values.BYTES_PER_ELEMENT,
      signed,
      littleEndian: true,
      vlen: false,
      shape,
      maxshape: shape,
      total_size: count,
      chunks: null,
      compression: 0,
      compression_opts: [],
      track_order: false,
    } as unknown as Parameters<H5Module["create_dataset"]>[3]);
    if (status < 0) throw new FormatError(`HDF5 could not write weight '${path}'.`, { file: file.filename });
  } finally {
    module._free(ptr);
  }
  if (dtype === "bfloat16") writeTextAttr(file, path, "dtype", "bfloat16", "utf8");
}

/** Creates the group at `path` and any missing parents (h5py's `create_group` on "a/b/c"). */
export function ensureGroup(file: H5File, path: string): void {
  let at = "";
  for (const part of path.split("/").filter(Boolean)) {
    at += `/${part}`;
    if (kindAt(file, at) === null) hdf5().module.create_group(file.file_id, at, false);
  }
}

// ---- attributes, as h5py reads and writes them ----

function attrNames(file: H5File, path: string): string[] {
  return hdf5().module.get_attribute_names(file.file_id, abs(path));
}

export function hasAttr(file: H5File, path: string, name: string): boolean {
  return attrNames(file, path).includes(name);
}

function attrValue(file: H5File, path: string, name: string): unknown {
  if (!hasAttr(file, path, name)) return undefined;
  const obj = path === "/" || path === "" ? file : file.get(path);
  return (obj as H5Group).get_attribute(name, false);
}

/** A string attribute: a str (vlen UTF-8), bytes (vlen or fixed ASCII), or a one-element array of either. */
export function attrText(file: H5File, path: string, name: string): string | null {
  return textOf(attrValue(file, path, name));
}

function textOf(value: unknown): string | null {
  if (typeof value === "string") return value;
  if (value instanceof Uint8Array || value instanceof Int8Array)
    return new TextDecoder().decode(value).replace(/\0+$/, "");
  if (Array.isArray(value) && value.length === 1) return textOf(value[0]);
  return null;
}

/**
 * A list-of-names attribute (`layer_names`, `weight_names`), also when Keras split it into chunks
 * `name0`, `name1`, ... because it outgrew HDF5's 64 KiB object header. Absent: null.
 */
export function attrTextList(file: H5File, path: string, name: string): string[] | null {
  const names = attrNames(file, path);
  const parts: unknown[] = [];
  if (names.includes(name)) parts.push(attrValue(file, path, name));
  else for (let i = 0; names.includes(`${name}${i}`); i++) parts.push(attrValue(file, path, `${name}${i}`));
  if (!parts.length) return null;
  const out: string[] = [];
  for (const part of parts) {
    if (typeof part === "string") out.push(part);
    else if (Array.isArray(part)) out.push(...part.map((v) => textOf(v) ?? String(v)));
    else if (ArrayBuffer.isView(part) && (part as TypedArray).length === 0)
      continue; // h5py's empty float64 list
    else
      throw new FormatError(
        `attribute '${name}' of '${abs(path)}' is not a list of names. Received: ${String(part).slice(0, 60)}`,
      );
  }
  return out;
}

/** h5py stores a Python str as a variable-length UTF-8 string and bytes as variable-length ASCII. */
export function writeTextAttr(file: H5File, path: string, name: string, value: string, cset: "utf8" | "ascii"): void {
  target(file, path).create_attribute(name, value, [], cset === "utf8" ? "S" : "A");
}

/**
 * A list of names the way Keras writes `layer_names`/`weight_names`: variable-length ASCII strings (h5py
 * given a list of bytes), or for an empty list NumPy's empty float64 array. Past HDF5's 64 KiB header
 * limit Keras splits the list into `name0..N` NumPy arrays, which are fixed-length strings, as tf.keras 2
 * wrote every list (`fixed`).
 */
export function writeTextListAttr(
  file: H5File,
  path: string,
  name: string,
  values: string[],
  options: { fixed?: boolean } = {},
): void {
  const obj = target(file, path);
  if (!values.length) {
    obj.create_attribute(name, new Float64Array(0), [0], "<d");
    return;
  }
  const chunks = splitForHeader(values);
  const fixed = options.fixed || chunks.length > 1;
  const write = (key: string, list: string[]) => {
    const width = Math.max(1, ...list.map((v) => new TextEncoder().encode(v).length));
    obj.create_attribute(key, list, [list.length], fixed ? `A${width}` : "A");
  };
  if (chunks.length === 1) write(name, values);
  else chunks.forEach((chunk, i) => write(`${name}${i}`, chunk));
}

/** Keras's HDF5_OBJECT_HEADER_LIMIT, measured as NumPy would: items × the longest item. */
const HEADER_LIMIT = 64512;

function splitForHeader(values: string[]): string[][] {
  const width = Math.max(...values.map((v) => new TextEncoder().encode(v).length));
  for (let n = 1; ; n++) {
    // np.array_split: the first (len % n) chunks get one extra item.
    const base = Math.floor(values.length / n);
    const extra = values.length % n;
    if ((base + (extra ? 1 : 0)) * width <= HEADER_LIMIT || n >= values.length) {
      const out: string[][] = [];
      let at = 0;
      for (let i = 0; i < n; i++) {
        const size = base + (i < extra ? 1 : 0);
        out.push(values.slice(at, at + size));
        at += size;
      }
      return out;
    }
  }
}

function target(file: H5File, path: string): H5Group {
  return path === "/" || path === "" ? file : group(file, path);
}
