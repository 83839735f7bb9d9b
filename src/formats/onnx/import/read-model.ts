import protobuf from "protobufjs";
import { FormatError, UnsupportedLayerError } from "../../../ir/errors.js";
import { dtypeOfDataType } from "../model.js";
import { onnxDescriptor } from "../proto/onnx-descriptor.js";
import type { Const } from "./const.js";
import { TensorReader, num, text } from "./read-tensor.js";
import { type Attr, BATCH, type Dim, ImportGraph } from "./graph.js";

const root = protobuf.Root.fromJSON(onnxDescriptor);
const ModelProto = root.lookupType("onnx.ModelProto");
const TensorProto = root.lookupType("onnx.TensorProto");

type Msg = Record<string, unknown>;

/** A decoded ONNX file: its graph ready for import, and the model-level facts the importer needs. */
export interface ReadOnnx {
  graph: ImportGraph;
  producerName: string;
  producerVersion: string;
  irVersion: number;
  metadata: Record<string, string>;
  /** Every initializer by name (the round trip looks weights up here). */
  initializers: Map<string, Const>;
  /** Every node's op type in file order, Constant nodes included (the round trip's fingerprint). */
  opTypes: string[];
}

export interface ReadOnnxOptions {
  /** The file the bytes came from: named in errors; external data is found beside it. */
  file?: string;
}

/**
 * Reads ONNX protobuf bytes (a ModelProto) into the import graph: initializers and Constant nodes as
 * constants (external data read from files beside `file`), graph inputs that are initializers dropped
 * (IR < 4 listed them), every input's first dimension made the batch symbol.
 */
export function readOnnxBytes(bytes: Uint8Array, options: ReadOnnxOptions = {}): ReadOnnx {
  const file = options.file;
  let m: Msg;
  try {
    m = ModelProto.decode(bytes) as unknown as Msg;
  } catch (e) {
    throw new FormatError(`is not a readable ONNX model: ${(e as Error).message}`, { file, cause: e });
  }
  const opsets = ((m.opsetImport as Msg[] | undefined) ?? []).map((o) => ({
    domain: text(o.domain),
    version: num(o.version),
  }));
  const opset = opsets.find((o) => o.domain === "" || o.domain === "ai.onnx")?.version ?? 1;
  const metadata: Record<string, string> = {};
  for (const e of (m.metadataProps as Msg[] | undefined) ?? []) metadata[text(e.key)] = text(e.value);
  const g = (m.graph as Msg | undefined) ?? {};
  const graph = new ImportGraph(text(g.name) || "model", opset, file);
  const tensors = new TensorReader(file);

  const initializers = new Map<string, Const>();
  for (const t of (g.initializer as Msg[] | undefined) ?? []) {
    const name = text(t.name);
    const c = tensors.read(t, `initializer '${name}'`);
    initializers.set(name, c);
    graph.values.set(name, { name, shape: [...c.dims], dtype: c.dtype, value: c });
  }
  const declared = new Map<string, { shape: Dim[] | null; dtype: string }>();
  for (const v of [...((g.valueInfo as Msg[] | undefined) ?? []), ...((g.output as Msg[] | undefined) ?? [])]) {
    declared.set(text(v.name), valueType(v, file));
  }
  for (const v of (g.input as Msg[] | undefined) ?? []) {
    const name = text(v.name);
    if (initializers.has(name)) continue;
    const { shape, dtype } = valueType(v, file);
    if (!shape || shape.length === 0) {
      throw new UnsupportedLayerError(
        "Input",
        `graph input '${name}' has ${shape ? "rank 0" : "no shape"}; a Keras input needs a batch axis first. Received: shape=${JSON.stringify(shape)}`,
        { file },
      );
    }
    if (typeof shape[0] === "number") graph.declaredBatch ??= shape[0];
    const named = shape.map((d, i) => (i === 0 ? BATCH : d));
    graph.values.set(name, { name, shape: named, dtype });
    graph.inputs.push(name);
  }
  graph.outputs = ((g.output as Msg[] | undefined) ?? []).map((v) => text(v.name));

  let counter = 0;
  const opTypes: string[] = [];
  for (const n of (g.node as Msg[] | undefined) ?? []) {
    const op = text(n.opType);
    opTypes.push(op);
    const domain = text(n.domain);
    const name = text(n.name) || `${op}_${counter}`;
    counter++;
    const attrs: Record<string, Attr> = Object.create(null); // an attribute named "__proto__" is just a name
    for (const a of (n.attribute as Msg[] | undefined) ?? [])
      attrs[text(a.name)] = readAttr(a, tensors, `${op} node '${name}'`);
    const inputs = ((n.input as unknown[] | undefined) ?? []).map(text);
    const outputs = ((n.output as unknown[] | undefined) ?? []).map(text);
    for (const o of outputs) {
      // ONNX graphs assign each value once; a node overwriting an input or its own input would loop the passes.
      if (o && graph.values.has(o)) {
        throw new FormatError(
          `${op} node '${name}' computes '${o}', which is already defined. Received: a second definition of '${o}'`,
          {
            file,
          },
        );
      }
    }
    if (op === "Constant" && (domain === "" || domain === "ai.onnx")) {
      const c = constantValue(attrs, name, file);
      graph.values.set(outputs[0]!, { name: outputs[0]!, shape: [...c.dims], dtype: c.dtype, value: c });
      continue;
    }
    for (const o of outputs) {
      if (!o) continue;
      const d = declared.get(o);
      graph.values.set(o, { name: o, shape: d?.shape ?? null, dtype: d?.dtype ?? "float32" });
    }
    graph.nodes.push({ op, domain: domain === "ai.onnx" ? "" : domain, name, inputs, outputs, attrs });
  }
  for (const o of graph.outputs) {
    if (!graph.values.has(o))
      throw new FormatError(`graph output '${o}' is computed by no node and is no input.`, { file });
  }
  graph.sort();
  return {
    graph,
    producerName: text(m.producerName),
    producerVersion: text(m.producerVersion),
    irVersion: num(m.irVersion),
    metadata,
    initializers,
    opTypes,
  };
}

/** A serialized TensorProto on its own (the ONNX backend tests' `input_0.pb`, `output_0.pb`). */
export function readTensorProto(bytes: Uint8Array, file?: string): Const {
  let t: Msg;
  try {
    t = TensorProto.decode(bytes) as unknown as Msg;
  } catch (e) {
    throw new FormatError(`is not a readable ONNX TensorProto: ${(e as Error).message}`, { file, cause: e });
  }
  return new TensorReader(file).read(t, "tensor");
}

function valueType(v: Msg, file?: string): { shape: Dim[] | null; dtype: string } {
  const tt = ((v.type as Msg | undefined)?.tensorType as Msg | undefined) ?? {};
  const elem = num(tt.elemType);
  let dtype = "float32";
  try {
    if (elem) dtype = dtypeOfDataType(elem);
  } catch {
    throw new UnsupportedLayerError(
      "Input",
      `value '${text(v.name)}' has ONNX element type ${elem}, which has no Keras dtype. Received: elem_type=${elem}`,
      { file },
    );
  }
  const shape = tt.shape as Msg | undefined;
  if (!shape) return { shape: null, dtype };
  const dims = ((shape.dim as Msg[] | undefined) ?? []).map((d, i): Dim => {
    if (d.dimValue !== undefined && d.dimValue !== null && num(d.dimValue) > 0) return num(d.dimValue);
    const p = text(d.dimParam);
    return `${text(v.name)}:${p || `?${i}`}`;
  });
  return { shape: dims, dtype };
}

const ATTR_TYPES = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, GRAPH: 5, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

function readAttr(a: Msg, tensors: TensorReader, where: string): Attr {
  let type = num(a.type);
  if (!type) {
    // IR 1-2 files may omit the type: it is the one field that is set.
    if (a.t) type = ATTR_TYPES.TENSOR;
    else if ((a.ints as unknown[] | undefined)?.length) type = ATTR_TYPES.INTS;
    else if ((a.floats as unknown[] | undefined)?.length) type = ATTR_TYPES.FLOATS;
    else if ((a.strings as unknown[] | undefined)?.length) type = ATTR_TYPES.STRINGS;
    else if (a.s !== undefined && (a.s as Uint8Array).length) type = ATTR_TYPES.STRING;
    else if (a.f !== undefined && num(a.f) !== 0) type = ATTR_TYPES.FLOAT;
    else type = ATTR_TYPES.INT;
  }
  switch (type) {
    case ATTR_TYPES.FLOAT:
      return num(a.f);
    case ATTR_TYPES.INT:
      return num(a.i);
    case ATTR_TYPES.STRING:
      return text(a.s);
    case ATTR_TYPES.TENSOR:
      return tensors.read(a.t as Msg, `${where} attribute '${text(a.name)}'`);
    case ATTR_TYPES.GRAPH:
      return { subgraph: text((a.g as Msg | undefined)?.name) || text(a.name) };
    case ATTR_TYPES.FLOATS:
      return ((a.floats as unknown[] | undefined) ?? []).map(num);
    case ATTR_TYPES.INTS:
      return ((a.ints as unknown[] | undefined) ?? []).map(num);
    case ATTR_TYPES.STRINGS:
      return ((a.strings as unknown[] | undefined) ?? []).map(text);
    default:
      return { subgraph: `(attribute type ${type})` };
  }
}

/** A Constant node's value from whichever of value / value_float(s) / value_int(s) it sets. */
function constantValue(attrs: Record<string, Attr>, name: string, file?: string): Const {
  const v = attrs.value;
  if (v && typeof v === "object" && "data" in v) return v;
  if (typeof attrs.value_float === "number")
    return { dtype: "float32", dims: [], data: Float32Array.of(attrs.value_float) };
  if (Array.isArray(attrs.value_floats)) {
    const f = attrs.value_floats as number[];
    return { dtype: "float32", dims: [f.length], data: Float32Array.from(f) };
  }
  if (typeof attrs.value_int === "number")
    return { dtype: "int64", dims: [], data: BigInt64Array.of(BigInt(attrs.value_int)) };
  if (Array.isArray(attrs.value_ints)) {
    const i = attrs.value_ints as number[];
    return { dtype: "int64", dims: [i.length], data: BigInt64Array.from(i.map((x) => BigInt(x))) };
  }
  throw new UnsupportedLayerError(
    "Constant",
    `Constant node '${name}' has no numeric value (value, value_float(s), value_int(s)); string and sparse constants have no Keras equivalent. Received: attributes ${Object.keys(attrs).join(", ")}`,
    { file },
  );
}
