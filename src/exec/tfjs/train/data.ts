import type { NdArray } from "../../../formats/npy/array.js";
import { ShapeError } from "../../../ir/errors.js";
import type { Tensor as IrTensor } from "../../../ir/graph.js";
import { type tf as TF, tf } from "../runtime.js";
import { TrainingError } from "../errors.js";

/** Arrays for a model's inputs or targets: one array, a list in model order, or a record by layer name. */
export type ArrayInput = NdArray | NdArray[] | Record<string, NdArray>;

/** One model input's or output's data, converted once to the dtype tfjs computes with. */
export interface Column {
  /** The input or output layer's name. */
  name: string;
  /** Per-sample shape (without the batch dimension). */
  shape: number[];
  dtype: "float32" | "int32";
  data: Float32Array | Int32Array;
}

function isNdArray(v: unknown): v is NdArray {
  return !!v && typeof v === "object" && !Array.isArray(v) && "data" in v && "shape" in v && "dtype" in v;
}

/**
 * Keras's data rules for `x` or `y`: a single array for a single input/output, a list in the model's
 * order, or a record keyed by the input/output layers' names. Shapes are checked against the model's
 * (the batch dimension aside) and values converted to the dtype each tensor computes in.
 */
export function columnsFor(
  role: "x" | "y",
  value: ArrayInput,
  tensors: IrTensor[],
  check: "shape" | "rank" = "shape",
): Column[] {
  const names = tensors.map((t) => t.layer.name);
  let arrays: NdArray[];
  if (isNdArray(value)) arrays = [value];
  else if (Array.isArray(value)) arrays = value;
  else {
    const keys = Object.keys(value);
    const unknown = keys.filter((k) => !names.includes(k));
    const missing = names.filter((n) => !keys.includes(n));
    if (unknown.length || missing.length) {
      throw new ShapeError(
        `${role} must be keyed by the model's ${role === "x" ? "input" : "output"} names ${JSON.stringify(names)}. ` +
          `Received: keys ${JSON.stringify(keys)}`,
      );
    }
    arrays = names.map((n) => value[n]!);
  }
  if (arrays.length !== tensors.length) {
    throw new ShapeError(
      `the model has ${tensors.length} ${role === "x" ? "input" : "output"}(s) ${JSON.stringify(names)}. Received: ${arrays.length} ${role} array(s)`,
    );
  }
  return arrays.map((a, i) => column(role, names[i]!, a, tensors[i]!, role === "x" ? check : "none"));
}

function column(role: string, name: string, a: NdArray, t: IrTensor, check: "shape" | "rank" | "none"): Column {
  const dims = (s: readonly (number | null)[]) => `(${s.map((d) => d ?? "None").join(", ")})`;
  const want = t.shape.slice(1);
  const got = a.shape.slice(1);
  if (a.shape.length === 0)
    throw new ShapeError(`${role} '${name}' needs a batch dimension. Received: a scalar ${a.dtype} array`);
  if (
    check !== "none" &&
    (got.length !== want.length || (check === "shape" && want.some((d, i) => d !== null && d !== got[i])))
  ) {
    throw new ShapeError(`${role} '${name}' must have shape ${dims(t.shape)}. Received: ${dims(a.shape)} ${a.dtype}`);
  }
  const dtype = /^(u?int|bool)/.test(t.dtype) && role === "x" ? "int32" : "float32";
  return { name, shape: got, dtype, data: convert(role, name, a, dtype) };
}

function convert(role: string, name: string, a: NdArray, dtype: "float32" | "int32"): Float32Array | Int32Array {
  const src = a.data;
  if (dtype === "float32") {
    if (src instanceof Float32Array) return src;
    if (a.dtype === "float16" || a.dtype === "bfloat16") {
      throw new ShapeError(
        `${role} '${name}' is ${a.dtype}; kerasgraph trains on float32 data. Received: a ${a.dtype} array (cast it to float32)`,
      );
    }
    return Float32Array.from(src as ArrayLike<number>, Number);
  }
  if (src instanceof Int32Array) return src;
  if (/^float/.test(a.dtype)) {
    const bad = Array.prototype.findIndex.call(src, (v: number) => !Number.isInteger(v));
    if (bad >= 0) {
      throw new ShapeError(
        `${role} '${name}' feeds an integer input (indices), but holds non-integer values. Received: a ${a.dtype} array with ${String(src[bad])} at flat index ${bad}`,
      );
    }
  }
  const out = new Int32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const v = Number(src[i]);
    if (v > 2147483647 || v < -2147483648) {
      throw new ShapeError(
        `${role} '${name}' holds values outside int32, which tfjs computes indices in. Received: ${String(src[i])} at flat index ${i}`,
      );
    }
    out[i] = v;
  }
  return out;
}

/** The number of samples, the same in every array of `x` and `y`. */
export function sampleCount(x: Column[], y: Column[]): number {
  const counts = [...x, ...y].map((c) => ({
    c,
    n:
      c.data.length /
      Math.max(
        1,
        c.shape.reduce((a, b) => a * b, 1),
      ),
  }));
  const n = counts[0]!.n;
  if (counts.some((e) => e.n !== n)) {
    throw new ShapeError(
      `x and y must hold the same number of samples. Received: ${counts.map((e) => `${e.c.name}: ${e.n}`).join(", ")}`,
    );
  }
  return n;
}

/** Keras's `train_validation_split`: the last `split` of the samples, before any shuffling, validate. */
export function validationSplit(n: number, split: number): number {
  if (!(split > 0 && split < 1)) throw new TrainingError(`validation_split must be in (0, 1). Received: ${split}`);
  const at = Math.floor(n * (1 - split));
  if (at === 0 || at === n) {
    throw new TrainingError(
      `${n} samples are not enough to split into training and validation sets. Received: validation_split=${split}`,
    );
  }
  return at;
}

/** Rows `[start, end)` of columns, or the rows of `order[start:end]`, as tensors. */
export function batchTensors(columns: Column[], start: number, end: number, order?: Int32Array): TF.Tensor[] {
  return columns.map((c) => {
    const row = c.shape.reduce((a, b) => a * b, 1);
    let values: Float32Array | Int32Array;
    if (!order) values = c.data.subarray(start * row, end * row);
    else {
      values = c.dtype === "int32" ? new Int32Array((end - start) * row) : new Float32Array((end - start) * row);
      for (let i = start; i < end; i++)
        values.set(c.data.subarray(order[i]! * row, (order[i]! + 1) * row), (i - start) * row);
    }
    return tf.tensor(values, [end - start, ...c.shape], c.dtype);
  });
}

/** Rows `[start, end)` of a column as a new column (the training or validation part). */
export function sliceColumn(c: Column, start: number, end: number): Column {
  const row = c.shape.reduce((a, b) => a * b, 1);
  return { ...c, data: c.data.subarray(start * row, end * row) };
}

/** Rows `[start, end)` (or of `order[start:end]`) of float32 columns, on the host: a batch of targets. */
export function batchTargets(
  columns: Column[],
  start: number,
  end: number,
  order?: Int32Array,
): { data: Float32Array; shape: number[] }[] {
  return columns.map((c) => {
    const row = c.shape.reduce((a, b) => a * b, 1);
    const src = c.data as Float32Array;
    let data: Float32Array;
    if (!order) data = src.subarray(start * row, end * row);
    else {
      data = new Float32Array((end - start) * row);
      for (let i = start; i < end; i++)
        data.set(src.subarray(order[i]! * row, (order[i]! + 1) * row), (i - start) * row);
    }
    return { data, shape: [end - start, ...c.shape] };
  });
}
