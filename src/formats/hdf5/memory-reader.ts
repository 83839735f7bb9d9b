import type { File as H5File, Group as H5Group } from "h5wasm";
import { FormatError, KerasGraphError } from "../../ir/errors.js";
import { type TypedArray, WeightData, TYPED_ARRAYS } from "../../ir/weights.js";
import { checkLimit, hdf5LibraryAllowed, hdf5LibraryRefusal } from "../limits.js";
import { castWeight } from "../weight-values.js";
import { firstLine, libraryError } from "./h5wasm.js";
import { type H5Reader, Hdf5Unsupported, kerasDtype, openH5Bytes } from "./reader.js";

/**
 * HDF5 bytes already in memory (a file dropped on a web page, a `.keras` member) read through the HDF5
 * library's browser build (h5wasm's ESM build: the wasm inlined, an in-memory file system), so it
 * needs no host file system and runs in a browser and in Node alike. Values are read when a dataset is
 * asked for: the bytes live only while `use` runs.
 */
export async function withH5Bytes<T>(bytes: Uint8Array, name: string, use: (reader: H5Reader) => T): Promise<T> {
  // h5py's default layout (every Keras file) is read by the TypeScript reader, which is hardened against
  // damaged files; only what it does not handle goes to the HDF5 library.
  let subset: H5Reader | null = null;
  try {
    subset = openH5Bytes(bytes, name);
    return use(subset);
  } catch (e) {
    if (!(e instanceof Hdf5Unsupported)) throw e instanceof KerasGraphError ? e.inFile(name) : e;
    if (!e.newerFormat && !hdf5LibraryAllowed()) throw hdf5LibraryRefusal(e.message, name);
  } finally {
    subset?.close();
  }
  // Loaded here, not with this module: it compiles and starts the library (~70 ms), which most files never need.
  const h5wasm = (await import("h5wasm")).default;
  const module = await h5wasm.ready;
  module.activate_throwing_error_handler();
  const scratch = `/kerasgraph-${++opened}.h5`;
  module.FS.writeFile(scratch, bytes);
  let file: H5File;
  try {
    file = new h5wasm.File(scratch, "r");
  } catch (e) {
    module.FS.unlink(scratch);
    throw new FormatError(`cannot be opened as HDF5 (corrupt or truncated?). Received: ${firstLine(e)}`, {
      file: name,
      cause: e,
    });
  }
  try {
    return use(new MemoryH5Reader(file, name, h5wasm, module));
  } catch (e) {
    throw libraryError(e, name);
  } finally {
    file.close();
    module.FS.unlink(scratch);
  }
}

let opened = 0;

type H5Lib = typeof import("h5wasm").default;
type H5Module = Awaited<H5Lib["ready"]>;

class MemoryH5Reader implements H5Reader {
  constructor(
    private readonly file: H5File,
    readonly path: string,
    private readonly h5wasm: H5Lib,
    private readonly module: H5Module,
  ) {}

  kind(path: string): "group" | "dataset" | null {
    const entity = this.file.get(path);
    if (entity instanceof this.h5wasm.Group) return "group";
    if (entity instanceof this.h5wasm.Dataset) return "dataset";
    return null;
  }
  children(path: string): string[] {
    return this.module.get_names(this.file.file_id, abs(path), false);
  }
  attrNames(path: string): string[] {
    return this.module.get_attribute_names(this.file.file_id, abs(path));
  }
  attr(path: string, name: string): unknown {
    if (!this.attrNames(path).includes(name)) return undefined;
    const obj = path === "/" || path === "" ? this.file : this.file.get(path);
    const value = (obj as H5Group).get_attribute(name, false);
    return ArrayBuffer.isView(value) ? Array.from(value as unknown as ArrayLike<number>) : value;
  }
  close(): void {
    // The file is closed by withH5Bytes, which owns it.
  }

  /** The dataset's values, read now (the in-memory file is gone once `use` returns). */
  dataset(path: string): WeightData {
    const full = abs(path);
    const md = this.module.get_dataset_metadata(this.file.file_id, full);
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
      this.attr(full, "dtype"),
      full,
    );
    const shape = md.shape ?? [];
    const values = this.readValues(
      full,
      md.size * md.total_size,
      dtype === "bfloat16" && md.size === 4 ? "float32" : dtype,
    );
    if (dtype === "bfloat16" && md.size === 4) return castWeight(new WeightData("float32", shape, values), "bfloat16");
    return new WeightData(dtype, shape, values);
  }

  private readValues(path: string, nbytes: number, dtype: string): TypedArray {
    checkLimit("maxTensorBytes", nbytes, `dataset '${path}' takes ${nbytes} bytes, which`);
    const ptr = this.module._malloc(Math.max(nbytes, 1));
    if (!ptr) throw new FormatError(`dataset '${path}' (${nbytes} bytes) does not fit in HDF5's memory.`);
    try {
      this.module.get_dataset_data(this.file.file_id, path, null, null, null, BigInt(ptr));
      const bytes = this.module.HEAPU8.slice(ptr, ptr + nbytes);
      return new TYPED_ARRAYS[dtype]!(bytes.buffer as ArrayBuffer);
    } finally {
      this.module._free(ptr);
    }
  }
}

function abs(path: string): string {
  return path.startsWith("/") ? path : `/${path}`;
}
