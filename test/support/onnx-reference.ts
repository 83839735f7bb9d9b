/**
 * References for the ONNX importer's tests: inputs for a foreign ONNX file, onnxruntime's outputs on
 * the original file, and the ONNX backend tests' serialized TensorProto inputs/outputs.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import protobuf from "protobufjs";
import type { NdArray } from "../../src/formats/npy/array.js";
import { onnxDescriptor } from "../../src/formats/onnx/proto/onnx-descriptor.js";
import { readTensorProto } from "../../src/formats/onnx/import/read-model.js";
import { dtypeOfDataType } from "../../src/formats/onnx/model.js";

const ModelProto = protobuf.Root.fromJSON(onnxDescriptor).lookupType("onnx.ModelProto");

type Msg = Record<string, unknown>;
const num = (v: unknown): number =>
  typeof v === "number"
    ? v
    : v && typeof (v as { toNumber?: unknown }).toNumber === "function"
      ? (v as { toNumber(): number }).toNumber()
      : Number(v ?? 0);

export interface InputDecl {
  name: string;
  dtype: string;
  /** Declared dims; null for a free one. */
  shape: (number | null)[];
}

/** The graph inputs that are not initializers, as the file declares them. */
export function declaredInputs(bytes: Uint8Array): InputDecl[] {
  const m = ModelProto.decode(bytes) as unknown as Msg;
  const g = m.graph as Msg;
  const inits = new Set(((g.initializer as Msg[]) ?? []).map((t) => String(t.name)));
  return ((g.input as Msg[]) ?? [])
    .filter((v) => !inits.has(String(v.name)))
    .map((v) => {
      const tt = (v.type as Msg).tensorType as Msg;
      const dims = (((tt.shape as Msg | undefined)?.dim as Msg[]) ?? []).map((d) =>
        num(d.dimValue) > 0 ? num(d.dimValue) : null,
      );
      return { name: String(v.name), dtype: dtypeOfDataType(num(tt.elemType)), shape: dims };
    });
}

/** The file with every graph input's and output's first dimension made free (any batch size). */
export function freeBatch(bytes: Uint8Array): Uint8Array {
  const m = ModelProto.decode(bytes) as unknown as Msg;
  const g = m.graph as Msg;
  for (const v of [...((g.input as Msg[]) ?? []), ...((g.output as Msg[]) ?? [])]) {
    const dims = (((v.type as Msg)?.tensorType as Msg)?.shape as Msg | undefined)?.dim as Msg[] | undefined;
    if (dims?.length) dims[0] = { dimParam: "N" };
  }
  return ModelProto.encode(ModelProto.fromObject(ModelProto.toObject(m as never))).finish();
}

/** A small deterministic pseudo-random generator (an LCG), so test inputs are the same every run. */
export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Inputs for the declared inputs: floats in [-1, 1), indices in [0, maxIndex); free dims set to `batch` (first) or 3. */
export function makeInputs(
  decls: InputDecl[],
  options: { batch: number; maxIndex?: number; seed?: number },
): NdArray[] {
  const rand = seeded(options.seed ?? 7);
  return decls.map((d) => {
    const shape = d.shape.map((v, i) => (i === 0 ? options.batch : (v ?? 3)));
    const n = shape.reduce((a, b) => a * b, 1);
    if (d.dtype.startsWith("int")) {
      const max = options.maxIndex ?? 3;
      const data =
        d.dtype === "int64"
          ? BigInt64Array.from({ length: n }, () => BigInt(Math.floor(rand() * max)))
          : Int32Array.from({ length: n }, () => Math.floor(rand() * max));
      return { dtype: d.dtype, shape, data };
    }
    return { dtype: "float32", shape, data: Float32Array.from({ length: n }, () => rand() * 2 - 1) };
  });
}

/** onnxruntime's outputs for the original file, in graph output order. */
export async function ortOutputs(bytes: Uint8Array, decls: InputDecl[], inputs: NdArray[]): Promise<NdArray[]> {
  // Optimizations off: the reference is the graph as written (onnxruntime 1.2x fuses Pad into a
  // following MaxPool even where the fused pads would exceed the kernel, then refuses the model).
  const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3, graphOptimizationLevel: "disabled" });
  try {
    const feeds: Record<string, ort.Tensor> = {};
    decls.forEach(
      (d, i) =>
        (feeds[d.name] = new ort.Tensor(
          inputs[i]!.dtype as "float32",
          inputs[i]!.data as Float32Array,
          inputs[i]!.shape,
        )),
    );
    const out = await session.run(feeds);
    return session.outputNames.map((n) => {
      const t = out[n]!;
      return { dtype: t.type, shape: [...t.dims], data: t.data as Float32Array };
    });
  } finally {
    await session.release();
  }
}

/** The ONNX backend tests' `test_data_set_0/{input,output}_<i>.pb` of a model folder. */
export function backendTestData(dir: string): { inputs: NdArray[]; outputs: NdArray[] } | null {
  const set = join(dir, "test_data_set_0");
  if (!existsSync(set)) return null;
  const read = (kind: string) => {
    const out: NdArray[] = [];
    for (let i = 0; existsSync(join(set, `${kind}_${i}.pb`)); i++) {
      const c = readTensorProto(new Uint8Array(readFileSync(join(set, `${kind}_${i}.pb`))));
      out.push({ dtype: c.dtype, shape: c.dims, data: c.data });
    }
    return out;
  };
  return { inputs: read("input"), outputs: read("output") };
}
