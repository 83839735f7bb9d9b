/**
 * ONNX external data: a model forced to keep its weights in `<file>.data` is a small .onnx plus one
 * data file; onnxruntime-node loads it by path and computes what the inline model computes; reading it
 * back gives every initializer bit for bit, and the model opened from it has the source's weights.
 */
import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/exec/ort/model.js";
import type { NdArray } from "../../src/formats/npy/array.js";
import { decodeOnnxModel } from "../../src/formats/onnx/proto.js";
import { weightTensor, writeTensorBytes } from "../../src/formats/onnx/deferred.js";
import { transposeData } from "../../src/formats/onnx/tensor-data.js";
import { KernelScratch } from "../../src/formats/transpose/transpose.js";
import { WeightData } from "../../src/ir/weights.js";
import { readOnnxBytes } from "../../src/formats/onnx/import/read-model.js";
import { onnxDescriptor } from "../../src/formats/onnx/proto/onnx-descriptor.js";
import { writeOnnxFileExternal } from "../../src/formats/onnx/write-external.js";
import { openModel } from "../../src/formats/open.js";
import { KERAS3 } from "../support/fixtures.js";
import { weightBytes } from "../support/cli.js";
import { random } from "../support/keras-json-models.js";

const ModelProto = protobuf.Root.fromJSON(onnxDescriptor).lookupType("onnx.ModelProto");
const RESNET = join(KERAS3, "seed/toy_resnet/model.keras");

async function runOrt(path: string, feeds: Record<string, ort.Tensor>): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(path);
  try {
    const out = await session.run(feeds);
    return out[session.outputNames[0]!]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

describe("ONNX external data", () => {
  const dir = mkdtempSync(join(tmpdir(), "kerasgraph-external-"));

  it("writes weights beside the model, runs in onnxruntime-node and reads back bit for bit", async () => {
    const { graph } = await openModel(RESNET);
    const inlinePath = join(dir, "inline.onnx");
    const externalPath = join(dir, "external.onnx");
    const inline = await writeOnnxFileExternal(graph, inlinePath, { externalData: "never" });
    const external = await writeOnnxFileExternal(graph, externalPath, { externalData: "always" });
    expect(inline.dataFile).toBeNull();
    expect(external.dataFile).toBe("external.onnx.data");
    expect(statSync(join(dir, "external.onnx.data")).size).toBe(external.dataBytes);
    expect(external.bytes).toBeLessThan(inline.bytes / 2);

    const a = readOnnxBytes(readFileSync(inlinePath), { file: inlinePath });
    const b = readOnnxBytes(readFileSync(externalPath), { file: externalPath });
    expect([...b.initializers.keys()]).toEqual([...a.initializers.keys()]);
    for (const [name, c] of a.initializers) {
      const d = b.initializers.get(name)!;
      expect(d.dims, name).toEqual(c.dims);
      expect(
        Buffer.from(d.data.buffer, d.data.byteOffset, d.data.byteLength).equals(
          Buffer.from(c.data.buffer, c.data.byteOffset, c.data.byteLength),
        ),
        name,
      ).toBe(true);
    }

    const session = await ort.InferenceSession.create(inlinePath);
    const meta = session.inputMetadata[0] as { name: string; shape: readonly (number | string)[] };
    await session.release();
    const shape = meta.shape.map((d) => (typeof d === "number" && d > 0 ? d : 2));
    const rnd = random(7);
    const n = shape.reduce((x, y) => x * y, 1);
    const x = new ort.Tensor(
      "float32",
      Float32Array.from({ length: n }, () => rnd() * 2 - 1),
      shape,
    );
    const want = await runOrt(inlinePath, { [meta.name]: x });
    const got = await runOrt(externalPath, { [meta.name]: x });
    expect(got.length).toBe(want.length);
    expect(
      Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(
        Buffer.from(want.buffer, want.byteOffset, want.byteLength),
      ),
    ).toBe(true);

    const back = weightBytes((await openModel(externalPath)).graph);
    const source = weightBytes(graph);
    expect(back.size).toBe(source.size);
    for (const [name, bytes] of source) expect(back.get(name)?.equals(bytes), name).toBe(true);
  });

  it("keeps tensors under 1 KiB inline and aligns those of 1 MiB or more to 4 KiB", async () => {
    const { graph } = await openModel(RESNET);
    const path = join(dir, "aligned.onnx");
    await writeOnnxFileExternal(graph, path, { externalData: "always" });
    const m = ModelProto.toObject(ModelProto.decode(readFileSync(path)), { longs: Number, bytes: Array }) as {
      graph: {
        initializer: {
          name: string;
          dataLocation?: number;
          rawData?: number[];
          externalData?: { key: string; value: string }[];
        }[];
      };
    };
    let inline = 0;
    let external = 0;
    for (const t of m.graph.initializer) {
      if (t.dataLocation !== 1) {
        inline++;
        expect(t.rawData?.length ?? 0, t.name).toBeLessThan(1024);
        continue;
      }
      external++;
      const e = Object.fromEntries((t.externalData ?? []).map((x) => [x.key, x.value]));
      expect(e.location).toBe("aligned.onnx.data");
      expect(Number(e.length), t.name).toBeGreaterThanOrEqual(1024);
      if (Number(e.length) >= 2 ** 20) expect(Number(e.offset) % 4096, t.name).toBe(0);
    }
    expect(inline).toBeGreaterThan(0);
    expect(external).toBeGreaterThan(0);
  });

  it("predicts with an .onnx file whose weights are external, as with the inline one", async () => {
    const { graph } = await openModel(RESNET);
    const inlinePath = join(dir, "p-inline.onnx");
    const externalPath = join(dir, "p-external.onnx");
    await writeOnnxFileExternal(graph, inlinePath, { externalData: "never" });
    await writeOnnxFileExternal(graph, externalPath, { externalData: "always" });
    const decoded = decodeOnnxModel(readFileSync(externalPath));
    const external = decoded.graph.initializers.filter((t) => t.external);
    expect(external.length).toBeGreaterThan(0);
    for (const t of external) expect(t.data.length).toBe(0);
    const a = await loadModel(inlinePath);
    const b = await loadModel(externalPath);
    const spec = (await a.inputSpecs())[0]!;
    const shape = spec.shape.map((d) => (typeof d === "number" && d > 0 ? d : 3));
    const rnd = random(11);
    const x: NdArray = {
      dtype: "float32",
      shape,
      data: Float32Array.from({ length: shape.reduce((p, q) => p * q, 1) }, () => rnd()),
    };
    const [want] = await a.predict([x]);
    const [got] = await b.predict([x]);
    expect(got!.shape).toEqual(want!.shape);
    expect(Array.from(got!.data as Float32Array)).toEqual(Array.from(want!.data as Float32Array));
  });
});

describe("a transposed weight written in pieces", () => {
  it("writes the bytes its whole transpose has, read through a file reader's scratch or loaded", () => {
    const shape = [3, 3, 24, 40];
    const values = Float32Array.from({ length: 3 * 3 * 24 * 40 }, (_, i) => Math.sin(i) * 1000);
    // A reader's weight reads into the scratch it is given (as the .keras and .h5 readers do); another is loaded.
    const fromFile = new WeightData(
      "float32",
      shape,
      () => values.slice(),
      (s) => {
        const into = s.like("read", values);
        into.set(values);
        return into;
      },
    );
    for (const w of [fromFile, new WeightData("float32", shape, values.slice())]) {
      const t = weightTensor("k", w, [3, 2, 0, 1]);
      const whole = new Uint8Array(transposeData(values, shape, [3, 2, 0, 1]).buffer);
      for (const pieceBytes of [4, 700, 4096, 1 << 20]) {
        const pieces: Uint8Array[] = [];
        writeTensorBytes(t, new KernelScratch(), pieceBytes, (b) => pieces.push(b.slice()));
        expect(Buffer.concat(pieces).equals(Buffer.from(whole))).toBe(true);
        // Whole output rows (24·3·3 floats) per piece where the scratch's kernel memory holds the weight.
        if (w === fromFile && pieceBytes < whole.length) expect(pieces.length).toBeGreaterThan(1);
      }
    }
  });
});
