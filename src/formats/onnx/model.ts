import type { TypedArray } from "../../ir/weights.js";

/** ONNX's TensorProto.DataType codes for the element types kerasgraph writes and reads. */
export const DataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  BFLOAT16: 16,
} as const;

const BY_DTYPE: Record<string, number> = {
  float32: DataType.FLOAT,
  float64: DataType.DOUBLE,
  float16: DataType.FLOAT16,
  bfloat16: DataType.BFLOAT16,
  int8: DataType.INT8,
  int16: DataType.INT16,
  int32: DataType.INT32,
  int64: DataType.INT64,
  uint8: DataType.UINT8,
  uint16: DataType.UINT16,
  uint32: DataType.UINT32,
  uint64: DataType.UINT64,
  bool: DataType.BOOL,
  string: DataType.STRING,
};

/** Bytes per element of each element type kerasgraph writes and reads (by TensorProto.DataType code). */
export const ELEMENT_BYTES: Readonly<Record<number, number>> = {
  [DataType.FLOAT]: 4,
  [DataType.UINT8]: 1,
  [DataType.INT8]: 1,
  [DataType.UINT16]: 2,
  [DataType.INT16]: 2,
  [DataType.INT32]: 4,
  [DataType.INT64]: 8,
  [DataType.BOOL]: 1,
  [DataType.FLOAT16]: 2,
  [DataType.DOUBLE]: 8,
  [DataType.UINT32]: 4,
  [DataType.UINT64]: 8,
  [DataType.BFLOAT16]: 2,
};

/** The ONNX element type of a Keras / NumPy dtype name, or undefined for one ONNX has not. */
export function onnxDataType(dtype: string): number | undefined {
  return BY_DTYPE[dtype];
}

/** The Keras / NumPy dtype name of an ONNX element type. */
export function dtypeOfDataType(code: number): string {
  const hit = Object.entries(BY_DTYPE).find(([, c]) => c === code);
  if (!hit) throw new RangeError(`ONNX element type ${code} has no NumPy dtype in kerasgraph.`);
  return hit[0];
}

/** A constant tensor (an initializer or a Constant's value): little-endian values in a typed array. */
export interface OnnxTensor {
  name: string;
  dataType: number;
  dims: number[];
  data: TypedArray;
  /** Set when the values live in a file beside the model (ONNX external data); `data` is then empty. */
  external?: { location: string; offset: number; length: number };
}

export type OnnxAttribute =
  | { type: "float"; value: number }
  | { type: "int"; value: number }
  | { type: "string"; value: string }
  | { type: "floats"; value: number[] }
  | { type: "ints"; value: number[] }
  | { type: "strings"; value: string[] }
  | { type: "tensor"; value: OnnxTensor };

export interface OnnxNode {
  /** Unique in the graph; kerasgraph starts it with the Keras layer's name (`dense_1/MatMul`). */
  name: string;
  opType: string;
  /** "" (or absent) is the default ai.onnx domain. */
  domain?: string;
  inputs: string[];
  outputs: string[];
  attributes: Record<string, OnnxAttribute>;
}

/** A graph input, output or intermediate value: its element type and shape (a string names a free dim). */
export interface OnnxValueInfo {
  name: string;
  elemType: number;
  shape: (number | string)[] | null;
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  initializers: OnnxTensor[];
  valueInfo: OnnxValueInfo[];
}

export interface OnnxModel {
  irVersion: number;
  opsetImports: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  docString?: string;
  graph: OnnxGraph;
  metadata: Record<string, string>;
}

/** The opset of the default domain a model imports (0 if none). */
export function defaultOpset(model: OnnxModel): number {
  return model.opsetImports.find((o) => o.domain === "" || o.domain === "ai.onnx")?.version ?? 0;
}

/**
 * The IR version each opset first shipped with (onnx/helper.py's VERSION_TABLE): a model declares the
 * lowest IR version its opset allows, so older runtimes load it too.
 */
export function irVersionForOpset(opset: number): number {
  if (opset <= 14) return 7;
  if (opset <= 18) return 8;
  if (opset <= 20) return 9;
  if (opset <= 22) return 10;
  return 11;
}
