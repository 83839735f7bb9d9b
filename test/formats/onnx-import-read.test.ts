/**
 * The ONNX reader: initializers kept beside the model (external data, as `onnx.save(...,
 * save_as_external_data=True)` writes them), IR-3 files that list initializers as inputs, and the
 * errors for files that cannot be read.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import protobuf from "protobufjs";
import { describe, expect, it } from "vitest";
import { readOnnxBytes } from "../../src/formats/onnx/import/read-model.js";
import { onnxDescriptor } from "../../src/formats/onnx/proto/onnx-descriptor.js";
import { openModel } from "../../src/formats/open.js";
import { FormatError, UnsupportedLayerError } from "../../src/ir/errors.js";

const ModelProto = protobuf.Root.fromJSON(onnxDescriptor).lookupType("onnx.ModelProto");
const dir = mkdtempSync(join(tmpdir(), "kerasgraph-onnx-read-"));

/** A Dense-like model (MatMul by W, Add b) whose W lives in `location` at `offset`. */
function externalModel(
  location: string,
  offset: number,
  extra: Record<string, unknown>[] = [],
  initializersAsInputs = false,
): Uint8Array {
  const tensorType = (dims: (number | string)[]) => ({
    tensorType: {
      elemType: 1,
      shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
    },
  });
  return ModelProto.encode(
    ModelProto.fromObject({
      irVersion: 8,
      opsetImport: [{ domain: "", version: 17 }],
      graph: {
        name: "external",
        node: [
          { opType: "MatMul", input: ["x", "W"], output: ["h"], name: "mm" },
          { opType: "Add", input: ["h", "b"], output: ["y"], name: "add" },
        ],
        initializer: [
          {
            name: "W",
            dataType: 1,
            dims: [3, 2],
            dataLocation: 1,
            externalData: [
              { key: "location", value: location },
              { key: "offset", value: String(offset) },
              { key: "length", value: "24" },
            ],
          },
          { name: "b", dataType: 1, dims: [2], floatData: [0.5, -0.5] },
          ...extra,
        ],
        input: [
          { name: "x", type: tensorType(["N", 3]) },
          ...(initializersAsInputs
            ? [
                { name: "W", type: tensorType([3, 2]) },
                { name: "b", type: tensorType([2]) },
              ]
            : []),
        ],
        output: [{ name: "y", type: tensorType(["N", 2]) }],
      },
    }),
  ).finish();
}

describe("ONNX reader", () => {
  it("reads initializers from external data beside the model (location, offset, length)", async () => {
    const weights = new Float32Array([1, 2, 3, 4, 5, 6]);
    const blob = new Uint8Array(8 + weights.byteLength);
    blob.set(new Uint8Array(weights.buffer), 8);
    writeFileSync(join(dir, "model.weights"), blob);
    const path = join(dir, "model.onnx");
    writeFileSync(path, externalModel("model.weights", 8));
    const { graph, format } = await openModel(path);
    expect(format).toBe("onnx");
    const dense = graph.layers.find((l) => l.className === "Dense")!;
    expect(Array.from(dense.values.get("kernel")!.values as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(dense.values.get("bias")!.values as Float32Array)).toEqual([0.5, -0.5]);
  });

  it("refuses external data outside the model's folder", () => {
    const bytes = externalModel("../../etc/passwd", 0);
    expect(() => readOnnxBytes(bytes, { file: join(dir, "evil.onnx") })).toThrow(
      /external data outside the model's folder/,
    );
  });

  it("needs the model's path for external data", () => {
    expect(() => readOnnxBytes(externalModel("model.weights", 8))).toThrow(FormatError);
  });

  it("names a missing external file", () => {
    expect(() => readOnnxBytes(externalModel("missing.bin", 0), { file: join(dir, "m.onnx") })).toThrow(
      /cannot open its external data file/,
    );
  });

  it("drops initializers an IR-3 file also lists as graph inputs", () => {
    const g = readOnnxBytes(externalModel("model.weights", 8, [], true), { file: join(dir, "model.onnx") }).graph;
    expect(g.inputs).toEqual(["x"]);
    expect(g.constant("W")?.dims).toEqual([3, 2]);
  });

  it("refuses bytes that are not an ONNX model", () => {
    expect(() => readOnnxBytes(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x0f]), { file: "x.onnx" })).toThrow(
      /x\.onnx: is not a readable ONNX model/,
    );
  });

  it("refuses string initializers (no Keras weight holds strings)", () => {
    const bytes = externalModel("model.weights", 8, [
      { name: "s", dataType: 8, dims: [1], stringData: [new TextEncoder().encode("a")] },
    ]);
    expect(() => readOnnxBytes(bytes, { file: join(dir, "model.onnx") })).toThrow(UnsupportedLayerError);
  });
});
