import { FormatError } from "../../ir/errors.js";
import { checkSource, type Scratch, type TypedArray, WeightData, TYPED_ARRAYS } from "../../ir/weights.js";
import { hdf5LibraryAllowed, hdf5LibraryRefusal } from "../limits.js";
import { castWeight } from "../weight-values.js";
import { type FileStamp, fileStamp, heldFile } from "../held-files.js";
import { libraryError, WasmH5Reader } from "./h5wasm.js";
import { readFully } from "./subset-bytes.js";
import { type H5DatasetInfo, type H5Type, Hdf5SubsetReader, Hdf5Unsupported } from "./subset-reader.js";

/**
 * Read access to an HDF5 file, whichever engine serves it: the TypeScript reader of h5py's default
 * layout (fast, reads a stored zip member in place), or the HDF5 library (h5wasm) for the rest. Paths
 * are absolute ("/model_weights/dense"). Datasets come back as WeightData whose values load on first
 * use, each load reading the file anew, so they outlive the reader.
 */
export interface H5Reader {
  readonly path: string;
  kind(path: string): "group" | "dataset" | null;
  /** Member names of a group, in HDF5's (name) order. */
  children(path: string): string[];
  attrNames(path: string): string[];
  /** An attribute's value: a string, a list of strings, or a list of numbers; undefined if absent. */
  attr(path: string, name: string): unknown;
  /** A dataset as a lazily loaded weight value (dtype and shape known now). */
  dataset(path: string): WeightData;
  close(): void;
}

export interface OpenH5Options {
  /** Where the HDF5 data starts in the file (a stored `.keras` member); the library needs 0. */
  base?: number;
  /** Use the HDF5 library even where the TypeScript reader could serve (tests compare both). */
  engine?: "auto" | "subset" | "hdf5";
  /**
   * The check that the bytes are intact (a stored `.keras` member's CRC), throwing if they are not: each
   * dataset's values are checked (`checkSource`) when they load. Only the TypeScript reader takes one (it
   * alone reads at a nonzero `base`).
   */
  verify?: () => void;
}

/**
 * Runs `use` on a reader of the HDF5 file at `path`, closed afterwards. Files in h5py's default layout
 * are read by the TypeScript reader; when it meets something it does not handle (newer HDF5 layouts,
 * compression, a damaged file), `use` runs again on the HDF5 library, which then also reports damage
 * as a FormatError naming the file. With a nonzero `base` the library cannot serve, and
 * Hdf5Unsupported reaches the caller, which can extract the data to a file of its own. `use` must be
 * repeatable (it re-reads from scratch); our own FormatErrors from `use` pass through.
 */
export async function withH5Reader<T>(
  path: string,
  use: (reader: H5Reader) => T | Promise<T>,
  options: OpenH5Options = {},
): Promise<T> {
  const base = options.base ?? 0;
  if (options.engine !== "hdf5") {
    let unsupported: unknown;
    let subset: Hdf5SubsetReader | null = null;
    try {
      subset = new Hdf5SubsetReader(path, base);
    } catch (e) {
      if (!(e instanceof Hdf5Unsupported)) throw e;
      unsupported = e;
    }
    if (subset) {
      const reader = new SubsetH5Reader(subset, options.verify);
      try {
        return await use(reader);
      } catch (e) {
        // Only a layout this reader does not handle goes to the HDF5 library; damage is a FormatError
        // and a bug is a bug: neither is worth handing a hostile file to C code.
        if (!(e instanceof Hdf5Unsupported)) throw e;
        unsupported = e;
      } finally {
        reader.close();
      }
    }
    if (options.engine === "subset" || base !== 0) {
      throw unsupported instanceof Hdf5Unsupported ? unsupported : new Hdf5Unsupported(String(unsupported));
    }
    const { message, newerFormat } = unsupported as Hdf5Unsupported;
    if (!newerFormat && !hdf5LibraryAllowed()) throw hdf5LibraryRefusal(message, path);
  }
  const reader = await WasmH5Reader.open(path);
  try {
    return await use(reader);
  } catch (e) {
    throw libraryError(e, path);
  } finally {
    reader.close();
  }
}

/**
 * The TypeScript reader over HDF5 bytes in memory (a browser's file, a `.keras` member); throws
 * Hdf5Unsupported for what only the HDF5 library reads, FormatError for a damaged file.
 */
export function openH5Bytes(bytes: Uint8Array, name: string): H5Reader {
  return new SubsetH5Reader(new Hdf5SubsetReader(name, 0, bytes));
}

class SubsetH5Reader implements H5Reader {
  private readonly stamp: FileStamp | null;
  constructor(
    private readonly file: Hdf5SubsetReader,
    private readonly verify?: () => void,
  ) {
    this.stamp = file.memory ? null : fileStamp(file.path);
  }

  get path(): string {
    return this.file.path;
  }
  kind(path: string) {
    return this.file.kind(path);
  }
  children(path: string) {
    return this.file.children(path);
  }
  attrNames(path: string) {
    return this.file.attrNames(path);
  }
  attr(path: string, name: string) {
    return this.file.attr(path, name);
  }
  close() {
    this.file.close();
  }

  dataset(path: string): WeightData {
    const info = this.file.dataset(path);
    const dtype = kerasDtype(info.type, this.file.attr(path, "dtype"), path);
    const file = this.file.path;
    const { stamp, memory, verify } = { stamp: this.stamp, memory: this.file.memory, verify: this.verify };
    // A check that a write deferred (withDeferredChecks) and that fails drops the values loaded
    // meanwhile, so that nothing uses them later: loaded again, they meet the check first.
    let data: WeightData | undefined;
    const check =
      verify &&
      (() => {
        try {
          verify();
        } catch (e) {
          data?.release();
          throw e;
        }
      });
    const load = () => {
      if (check) checkSource(check);
      if (memory)
        return typedValues(
          info.compact ? info.compact.slice() : memory.slice(info.offset!, info.offset! + info.byteLength),
          info.type,
          dtype,
        );
      return typedValues(readBytes(file, stamp!, info), info.type, dtype);
    };
    if (dtype === "bfloat16" && info.type.size === 4)
      return castWeight((data = new WeightData("float32", info.shape, load)), "bfloat16");
    // A dataset in a file can also be read into a writer's scratch buffer (WeightData.borrow).
    const readInto =
      memory || info.compact
        ? undefined
        : (scratch: Scratch) => {
            if (check) checkSource(check);
            const into = scratch.bytes("read", info.byteLength);
            return typedValues(readBytes(file, stamp!, info, into), info.type, dtype);
          };
    return (data = new WeightData(dtype, info.shape, load, readInto));
  }
}

/** A contiguous dataset's bytes, into `into` when given (else a new array), from the file `stamp` identifies. */
function readBytes(file: string, stamp: FileStamp, info: H5DatasetInfo, into?: Uint8Array): Uint8Array {
  if (info.compact) return info.compact.slice();
  // Not zero-filled first: every byte is read from the file (or the read fails).
  const bytes = into ?? new Uint8Array(Buffer.allocUnsafeSlow(info.byteLength).buffer, 0, info.byteLength);
  if (!info.byteLength) return bytes;
  const fd = heldFile(file, stamp);
  try {
    readFully(fd, bytes, info.offset!);
  } catch (e) {
    throw new FormatError(
      `cannot read a weight's ${info.byteLength} bytes at offset ${info.offset}: ${(e as Error).message}`,
      {
        file,
        cause: e,
      },
    );
  }
  return bytes;
}

/** Keras's dtype for an HDF5 type: h5py stores bool as an int8 enum, ml_dtypes' bfloat16 as 2-byte opaque. */
export function kerasDtype(type: H5Type, declared: unknown, path: string): string {
  if (declared === "bfloat16") return "bfloat16";
  if (type.cls === 1 && [2, 4, 8].includes(type.size)) return `float${type.size * 8}`;
  if (type.cls === 0 && [1, 2, 4, 8].includes(type.size)) return `${type.signed ? "int" : "uint"}${type.size * 8}`;
  if (type.cls === 8 && type.size === 1)
    return type.enumNames?.join() === "FALSE,TRUE" ? "bool" : type.signed ? "int8" : "uint8";
  if (type.cls === 5 && type.size === 2) return "bfloat16";
  throw new FormatError(
    `dataset '${path}' has an HDF5 type kerasgraph cannot read as a weight (class ${type.cls}, ${type.size} bytes).`,
  );
}

/** The bytes as a typed array of `dtype` (float32 storage of a bfloat16 stays float32 until cast). */
function typedValues(bytes: Uint8Array, type: H5Type, dtype: string): TypedArray {
  if (!type.littleEndian && type.size > 1) {
    for (let i = 0; i < bytes.length; i += type.size) bytes.subarray(i, i + type.size).reverse();
  }
  const ctor = dtype === "bfloat16" && type.size === 4 ? Float32Array : TYPED_ARRAYS[dtype]!;
  return new ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength / ctor.BYTES_PER_ELEMENT);
}

// ---- attributes, as Keras reads them ----

/** A string attribute: a str, bytes, or a one-element array of either; null if absent or not text. */
export function attrText(reader: H5Reader, path: string, name: string): string | null {
  return textOf(reader.attr(path, name));
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
export function attrTextList(reader: H5Reader, path: string, name: string): string[] | null {
  const names = reader.attrNames(path);
  const parts: unknown[] = [];
  if (names.includes(name)) parts.push(reader.attr(path, name));
  else for (let i = 0; names.includes(`${name}${i}`); i++) parts.push(reader.attr(path, `${name}${i}`));
  if (!parts.length) return null;
  const out: string[] = [];
  for (const part of parts) {
    if (typeof part === "string") out.push(part);
    else if (Array.isArray(part) && part.every((v) => typeof v === "string")) out.push(...(part as string[]));
    else if ((Array.isArray(part) || ArrayBuffer.isView(part)) && (part as ArrayLike<unknown>).length === 0)
      continue; // h5py's empty list
    else
      throw new FormatError(
        `attribute '${name}' of '${path}' is not a list of names. Received: ${String(part).slice(0, 60)}`,
      );
  }
  return out;
}

export { Hdf5Unsupported };
