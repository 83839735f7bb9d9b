import { fstatSync, readSync } from "node:fs";
import { heldFile } from "../../held-files.js";
import { dirname, isAbsolute, join, normalize } from "node:path";
import { FormatError, UnsupportedLayerError } from "../../../ir/errors.js";
import { tensorBytes } from "../../limits.js";
import { TYPED_ARRAYS } from "../../../ir/weights.js";
import { dtypeOfDataType } from "../model.js";
import { type Const, arrayFor, lazyConst, sizeOf } from "./const.js";

type Msg = Record<string, unknown>;

/** int64 fields decode to Long objects (protobufjs with `long` installed) or numbers. */
export function num(v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === "number") return v;
  if (typeof v === "object" && typeof (v as { toNumber?: unknown }).toNumber === "function") {
    return (v as { toNumber(): number }).toNumber();
  }
  return Number(v);
}

export function text(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  return v === undefined || v === null ? "" : String(v);
}

/** Reads TensorProto messages: raw_data, the typed *_data fields, or external data beside the file. */
export class TensorReader {
  constructor(private readonly file?: string) {}

  read(t: Msg, what: string): Const {
    const code = num(t.dataType);
    let dtype: string;
    try {
      dtype = dtypeOfDataType(code);
    } catch {
      throw new UnsupportedLayerError(
        "Tensor",
        `${what} has ONNX element type ${code}, which kerasgraph does not read. Received: data_type=${code}`,
        {
          file: this.file,
        },
      );
    }
    const dims = ((t.dims as unknown[] | undefined) ?? []).map(num);
    const size = sizeOf(dims);
    const itemBytes = arrayFor(dtype, 0)?.BYTES_PER_ELEMENT;
    if (itemBytes === undefined) {
      throw new UnsupportedLayerError(
        "Tensor",
        `${what} holds ${dtype} values, which have no Keras weight equivalent. Received: dtype=${dtype}`,
        {
          file: this.file,
        },
      );
    }
    // The declared size is checked before anything is allocated for it: whole dims, within maxTensorBytes,
    // and no more than the data the file holds.
    const nbytes = tensorBytes(dims, itemBytes, what, this.file);
    if (nbytes === null) {
      throw new FormatError(`${what} has dims that are not sizes. Received: dims=[${dims.slice(0, 8).join(", ")}]`, {
        file: this.file,
      });
    }
    if (num(t.dataLocation) === 1) {
      const readInto = this.external(t, what, nbytes, dims, dtype);
      const Ctor = TYPED_ARRAYS[dtype]!;
      const into = (bytes: Uint8Array) => {
        readInto(bytes);
        return new Ctor(bytes.buffer, bytes.byteOffset, size);
      };
      // Not zero-filled first: every byte is read from the file (or the read fails).
      return lazyConst(
        dtype,
        dims,
        () => into(new Uint8Array(Buffer.allocUnsafeSlow(nbytes).buffer, 0, nbytes)),
        (scratch) => into(scratch.bytes("read", nbytes)),
      );
    }
    const raw = t.rawData as Uint8Array | undefined;
    if (raw && raw.length) {
      if (raw.length < nbytes) {
        throw new FormatError(
          `${what} has ${raw.length} bytes of data for shape [${dims.join(", ")}] ${dtype} (${nbytes} expected).`,
          {
            file: this.file,
          },
        );
      }
      const out = arrayFor(dtype, size)!;
      new Uint8Array(out.buffer).set(raw.subarray(0, out.byteLength));
      return { dtype, dims, data: out };
    }
    const fields = ["floatData", "int32Data", "int64Data", "doubleData", "uint64Data"];
    const values = fields.map((f) => t[f] as unknown[] | undefined).find((v) => v && v.length) ?? [];
    if (values.length !== size && !(values.length === 0 && size === 0)) {
      throw new FormatError(`${what} has ${values.length} values for shape [${dims.join(", ")}] (${size} expected).`, {
        file: this.file,
      });
    }
    const out = arrayFor(dtype, size)!;
    if (out instanceof BigInt64Array || out instanceof BigUint64Array) {
      values.forEach((v, i) => {
        const x = num(v);
        if (!Number.isFinite(x))
          throw new FormatError(`${what} holds ${x} in an integer tensor. Received: value ${i}`, { file: this.file });
        out[i] = BigInt(Math.trunc(x));
      });
    } else {
      values.forEach((v, i) => ((out as Float32Array)[i] = num(v)));
    }
    return { dtype, dims, data: out };
  }

  /**
   * Checks an external tensor's location and extent now (the file exists, is inside the model's folder
   * and holds the bytes asked for) and returns a reader of its bytes into the tensor's array, used when
   * the values are needed.
   */
  private external(t: Msg, what: string, nbytes: number, dims: number[], dtype: string): (into: Uint8Array) => void {
    const entries = new Map<string, string>();
    for (const e of (t.externalData as Msg[] | undefined) ?? []) entries.set(text(e.key), text(e.value));
    const location = entries.get("location");
    if (!location)
      throw new FormatError(`${what} says its data is external but names no location.`, { file: this.file });
    if (!this.file) {
      throw new FormatError(
        `${what} keeps its data in the external file '${location}'; read the model from its path so the file can be found.`,
      );
    }
    const path = normalize(join(dirname(this.file), location));
    if (isAbsolute(location) || location.split(/[\\/]/).includes("..")) {
      throw new FormatError(
        `${what} names external data outside the model's folder. Received: location=${JSON.stringify(location)}`,
        { file: this.file },
      );
    }
    const offset = Number(entries.get("offset") ?? 0);
    const want = entries.has("length") ? Number(entries.get("length")) : nbytes;
    const available = this.withFile(path, what, (fd) => fstatSync(fd).size);
    if (
      !Number.isSafeInteger(offset) ||
      !Number.isSafeInteger(want) ||
      offset < 0 ||
      want < 0 ||
      offset + want > available
    ) {
      throw new FormatError(
        `${what}: external data file ${path} has ${available} bytes; the tensor asks for ${want} at offset ${offset}. ` +
          `Received: offset=${entries.get("offset") ?? 0}, length=${entries.get("length") ?? "(none)"}`,
        { file: this.file },
      );
    }
    if (want < nbytes) {
      throw new FormatError(
        `${what} has ${want} bytes of data for shape [${dims.join(", ")}] ${dtype} (${nbytes} expected).`,
        { file: this.file },
      );
    }
    return (into) =>
      this.withFile(path, what, (fd) => {
        let got = 0;
        while (got < nbytes) {
          const n = readSync(fd, into, got, nbytes - got, offset + got);
          if (n === 0) break;
          got += n;
        }
        if (got < nbytes) {
          throw new FormatError(
            `${what}: external data file ${path} has ${got} bytes at offset ${offset}; ${nbytes} expected.`,
            { file: this.file },
          );
        }
      });
  }

  /** `use` on the external data file, held open while the tensors are read (see held-files.ts). */
  private withFile<T>(path: string, what: string, use: (fd: number) => T): T {
    let fd: number;
    try {
      fd = heldFile(path);
    } catch (e) {
      throw new FormatError(`${what}: cannot open its external data file ${path}: ${(e as Error).message}`, {
        file: this.file,
        cause: e,
      });
    }
    return use(fd);
  }
}
