import type { File as H5File, Group as H5Group } from "h5wasm/node";
import { FormatError, KerasGraphError } from "../../ir/errors.js";
import { checkLimit } from "../limits.js";
import { type TypedArray, WeightData, TYPED_ARRAYS } from "../../ir/weights.js";
import { castWeight } from "../weight-values.js";
import { assertUnchanged, type FileStamp, fileStamp } from "../held-files.js";
import { type H5Reader, kerasDtype } from "./reader.js";

/**
 * The HDF5 library (h5wasm's Node build, which reads and writes host files by path), loaded once on
 * first use: every HDF5 file kerasgraph writes, and the files the TypeScript reader does not handle.
 * Its raw module is used for dataset bytes: h5wasm's high-level API has no float16, and both
 * directions copy through the WebAssembly heap only once.
 */
type H5Lib = typeof import("h5wasm/node").default;
type H5Module = Awaited<H5Lib["ready"]>;

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
    // Writing: h5py's default bounds (earliest format each object allows: superblock 0, symbol-table groups),
    // which every HDF5 reads and which HDF5 2.0 no longer picks by default.
    return mode === "w"
      ? new (hdf5().h5.File)(path, mode, { libver: ["earliest", "latest"] })
      : new (hdf5().h5.File)(path, mode);
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

/**
 * An error the HDF5 library raised (its error stack, or the WebAssembly trap of its C code) as a
 * FormatError naming the file; anything else unchanged.
 */
export function libraryError(e: unknown, file: string): unknown {
  const text = e instanceof Error ? e.message : String(e);
  if (e instanceof KerasGraphError) return e.inFile(file);
  if (!(e instanceof WebAssembly.RuntimeError) && !/HDF5|h5wasm/.test(text)) return e;
  return new FormatError(`cannot be read by the HDF5 library (damaged?). Received: ${firstLine(e)}`, {
    file,
    cause: e,
  });
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

/**
 * One buffer in the WebAssembly heap for dataset bytes on their way in or out, grown to the largest
 * dataset seen: a fresh allocation per dataset costs more than the copy.
 */
let heap = { ptr: 0, size: 0 };

function heapBuffer(nbytes: number, what: () => string): number {
  if (nbytes <= heap.size) return heap.ptr;
  const { module } = hdf5();
  if (heap.ptr) module._free(heap.ptr);
  const size = Math.max(nbytes, 1 << 20);
  const ptr = module._malloc(size);
  heap = ptr ? { ptr, size } : { ptr: 0, size: 0 };
  if (!ptr) throw new FormatError(`${what()} (${nbytes} bytes) does not fit in HDF5's 2 GiB memory.`);
  return ptr;
}

/**
 * The HDF5 library as an H5Reader, for files outside h5py's default layout. Dataset values load on
 * first use: the file is reopened once for a batch of loads and closed when the batch is over.
 */
export class WasmH5Reader implements H5Reader {
  private open: H5File | null;
  private readonly stamp: FileStamp;

  private constructor(
    private readonly file: H5File,
    readonly path: string,
  ) {
    this.open = file;
    this.stamp = fileStamp(path);
  }

  static async open(path: string): Promise<WasmH5Reader> {
    await loadHdf5();
    return new WasmH5Reader(openHdf5(path, "r"), path);
  }

  kind(path: string): "group" | "dataset" | null {
    return kindAt(this.file, path);
  }
  children(path: string): string[] {
    return childNames(this.file, path);
  }
  attrNames(path: string): string[] {
    return hdf5().module.get_attribute_names(this.file.file_id, abs(path));
  }
  attr(path: string, name: string): unknown {
    if (!this.attrNames(path).includes(name)) return undefined;
    const obj = path === "/" || path === "" ? this.file : this.file.get(path);
    const value = (obj as H5Group).get_attribute(name, false);
    return ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<number>) : value;
  }
  close(): void {
    this.file.close();
    this.open = null;
  }

  dataset(path: string): WeightData {
    const full = abs(path);
    const md = hdf5().module.get_dataset_metadata(this.file.file_id, full);
    const declared = this.attr(full, "dtype");
    const dtype = kerasDtype(
      {
        cls: md.type,
        size: md.size,
        signed: md.signed,
        littleEndian: true,
        vlenString: false,
        cset: 0,
        padding: 0,
        enumNames: md.enum_type ? Object.keys(md.enum_type.members ?? {}) : [],
      },
      declared,
      full,
    );
    const shape = md.shape ?? [];
    const values = () => {
      assertUnchanged(this.path, this.stamp);
      if (this.open) return readValues(this.open, full, dtype);
      // After close: one handle for the current batch of loads, closed when the batch is over.
      const handle = openHdf5(this.path, "r");
      this.open = handle;
      setImmediate(() => {
        handle.close();
        if (this.open === handle) this.open = null;
      }).unref();
      return readValues(handle, full, dtype);
    };
    if (dtype === "bfloat16" && md.size === 4) return castWeight(new WeightData("float32", shape, values), "bfloat16");
    return new WeightData(dtype, shape, values);
  }
}

/** A dataset's bytes as a typed array of `dtype` (a bfloat16 stored widened to float32 comes back as float32). */
function readValues(file: H5File, path: string, dtype: string): TypedArray {
  const { module } = hdf5();
  const md = module.get_dataset_metadata(file.file_id, path);
  const nbytes = md.size * md.total_size;
  checkLimit("maxTensorBytes", nbytes, `dataset '${path}' of ${file.filename} takes ${nbytes} bytes, which`);
  const ptr = heapBuffer(nbytes, () => `dataset '${path}' of ${file.filename}`);
  module.get_dataset_data(file.file_id, path, null, null, null, BigInt(ptr));
  const bytes = module.HEAPU8.slice(ptr, ptr + nbytes);
  const ctor = dtype === "bfloat16" && md.size === 4 ? Float32Array : TYPED_ARRAYS[dtype]!;
  return new ctor(bytes.buffer as ArrayBuffer);
}
