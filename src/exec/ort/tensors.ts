import * as ort from "onnxruntime-node";
import { FormatError, ShapeError } from "../../ir/errors.js";
import type { TypedArray } from "../../ir/weights.js";
import { ARRAY_TYPES, type NdArray, sizeOfShape } from "../../formats/npy/array.js";
import { dtypeOfDataType } from "../../formats/onnx/model.js";

/** A graph input as a session expects it: name, dtype, and shape (null = any size, e.g. the batch). */
export interface InputSpec {
  name: string;
  dtype: string;
  shape: (number | null)[];
}

const FLOATS = new Set(["float16", "float32", "float64"]);
const INTS = new Set(["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]);

function formatDims(shape: readonly (number | null)[]): string {
  const parts = shape.map((d) => (d === null ? "None" : String(d)));
  return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(", ")})`;
}

function convert(a: NdArray, dtype: string): TypedArray {
  const Ctor = ARRAY_TYPES[dtype]!;
  const out = new Ctor(a.data.length);
  const big = out instanceof BigInt64Array || out instanceof BigUint64Array;
  const src = a.data as ArrayLike<number | bigint>;
  for (let i = 0; i < src.length; i++) {
    const v = src[i]!;
    (out as unknown as (number | bigint)[])[i] = big ? BigInt(Math.trunc(Number(v))) : Number(v);
  }
  return out;
}

/**
 * Checks a user's array against a model input and converts it to the input's dtype where that loses
 * nothing a model cares about (float64 → float32, int32 → int64, ints → floats). Raises ShapeError /
 * FormatError naming the input, the expected shape and dtype, and what was received.
 */
export function toOrtTensor(spec: InputSpec, a: NdArray): ort.Tensor {
  const expected = `expected shape ${formatDims(spec.shape)} and dtype ${spec.dtype}`;
  if (a.shape.length !== spec.shape.length || a.shape.some((d, i) => spec.shape[i] !== null && spec.shape[i] !== d)) {
    throw new ShapeError(`input '${spec.name}': ${expected}. Received: shape ${formatDims(a.shape)}`);
  }
  if (sizeOfShape(a.shape) !== a.data.length) {
    throw new ShapeError(
      `input '${spec.name}': the array has ${a.data.length} values for shape ${formatDims(a.shape)}.`,
    );
  }
  let data = a.data;
  if (a.dtype !== spec.dtype) {
    const ok =
      (FLOATS.has(spec.dtype) && (FLOATS.has(a.dtype) || INTS.has(a.dtype) || a.dtype === "bool")) ||
      (INTS.has(spec.dtype) && INTS.has(a.dtype));
    if (!ok || a.dtype === "float16") {
      throw new FormatError(`input '${spec.name}': ${expected}. Received: dtype ${a.dtype}`);
    }
    data = convert(a, spec.dtype);
  }
  return new ort.Tensor(spec.dtype as "float32", data as Float32Array, a.shape);
}

/** An onnxruntime result as a NumPy-style array. */
export function fromOrtTensor(t: ort.Tensor): NdArray {
  const dtype = t.type === "bool" ? "bool" : t.type;
  return { dtype, shape: [...t.dims], data: t.data as TypedArray };
}

/** A session input's spec from ONNX value info (elem type code, dims with strings for free dims). */
export function inputSpec(name: string, elemType: number, shape: (number | string)[] | null): InputSpec {
  return {
    name,
    dtype: dtypeOfDataType(elemType),
    shape: (shape ?? []).map((d) => (typeof d === "number" ? d : null)),
  };
}
