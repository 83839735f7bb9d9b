/**
 * The onnxruntime executor: loadModel → predict (inputs by position or name, checked first), extract
 * (any layers, also inside nested models, which Keras's own feature extraction cannot reach), and
 * .onnx files run as they are.
 */
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type OrtModel, extractFeatures, loadModel } from "../../src/exec/ort/model.js";
import { readNpyFile } from "../../src/formats/npy/index.js";
import { toOnnx } from "../../src/formats/onnx/convert.js";
import { openModel } from "../../src/formats/open.js";
import { FormatError, GraphError, ShapeError } from "../../src/ir/errors.js";
import { mismatch } from "../support/allclose.js";
import { KERAS3 } from "../support/fixtures.js";

const models: OrtModel[] = [];
async function load(path: string): Promise<OrtModel> {
  const m = await loadModel(path);
  models.push(m);
  return m;
}
afterAll(async () => {
  for (const m of models) await m.dispose();
});
const npy = (c: string, f: string) => readNpyFile(join(KERAS3, c, f));

describe("predict", () => {
  it("takes inputs by position or by input name", async () => {
    const m = await load(join(KERAS3, "zoo/merge_family/model.keras"));
    const [a, b] = [await npy("zoo/merge_family", "in/0.npy"), await npy("zoo/merge_family", "in/1.npy")];
    const want = await npy("zoo/merge_family", "out/0.npy");
    expect(mismatch((await m.predict([a, b]))[0]!, want)).toBeNull();
    expect(mismatch((await m.predict({ b, a }))[0]!, want)).toBeNull();
  });

  it("converts float64 and integer arrays for float inputs, int32 for int64 inputs", async () => {
    const m = await load(join(KERAS3, "seed/mnist_mlp/model.keras"));
    const x = await npy("seed/mnist_mlp", "in/0.npy");
    const f64 = { dtype: "float64", shape: x.shape, data: Float64Array.from(x.data as Float32Array) };
    expect(mismatch((await m.predict(f64))[0]!, await npy("seed/mnist_mlp", "out/0.npy"))).toBeNull();
  });

  it("names the input, the expected shape and what was received", async () => {
    const m = await load(join(KERAS3, "zoo/merge_family/model.keras"));
    const a = await npy("zoo/merge_family", "in/0.npy");
    const wide = { dtype: "float32", shape: [3, 7], data: new Float32Array(21) };
    await expect(m.predict([a])).rejects.toThrow(ShapeError);
    await expect(m.predict([a])).rejects.toThrow(
      /expects 2 input\(s\): 'a' \(None, 6\) float32, 'b' \(None, 6\) float32\. Received: 1 array\(s\)/,
    );
    await expect(m.predict([a, wide])).rejects.toThrow(
      /input 'b': expected shape \(None, 6\) and dtype float32\. Received: shape \(3, 7\)/,
    );
    await expect(m.predict({ a, c: a })).rejects.toThrow(/missing 'b'; unknown 'c'/);
    const bools = { dtype: "bool", shape: [3], data: new Uint8Array(3) };
    await expect(m.predict([a, bools])).rejects.toThrow(/input 'b': expected shape \(None, 6\)/);
  });

  it("refuses floats for integer inputs (token ids)", async () => {
    const m = await load(join(KERAS3, "layers/Embedding/model.keras"));
    const ids = await npy("layers/Embedding", "in/0.npy");
    expect(mismatch((await m.predict(ids))[0]!, await npy("layers/Embedding", "out/0.npy"))).toBeNull();
    const floats = { dtype: "float32", shape: ids.shape, data: Float32Array.from(ids.data as Int32Array) };
    await expect(m.predict(floats)).rejects.toThrow(FormatError);
    await expect(m.predict(floats)).rejects.toThrow(
      /input 'in0': expected shape \(None, 8\) and dtype int32\. Received: dtype float32/,
    );
  });

  it("runs an .onnx file (Keras's own export) as it is", async () => {
    const m = await load(join(KERAS3, "seed/autoencoder/keras_export.onnx"));
    expect(m.graph).toBeNull();
    const y = (await m.predict(await npy("seed/autoencoder", "in/0.npy")))[0]!;
    expect(mismatch(y, await npy("seed/autoencoder", "out/0.npy"))).toBeNull();
    await expect(m.extract(["conv2d"], await npy("seed/autoencoder", "in/0.npy"))).rejects.toThrow(GraphError);
  });
});

describe("extract", () => {
  it("reaches layers inside nested models by path, and bare names when unique", async () => {
    const c = "seed/nested_autoencoder";
    const m = await load(join(KERAS3, c, "model.keras"));
    const x = await npy(c, "in/0.npy");
    const got = await extractFeatures(
      m,
      ["encoder/original_img", "global_max_pooling2d", "decoder/conv2d_transpose_3", "decoder"],
      x,
    );
    expect([...got.keys()]).toEqual([
      "encoder/original_img",
      "encoder/global_max_pooling2d",
      "decoder/conv2d_transpose_3",
      "decoder",
    ]);
    expect(mismatch(got.get("encoder/original_img")!, x, { atol: 0, rtol: 0 })).toBeNull();
    expect(got.get("encoder/global_max_pooling2d")!.shape).toEqual([3, 16]);
    const out = await npy(c, "out/0.npy");
    expect(mismatch(got.get("decoder/conv2d_transpose_3")!, out)).toBeNull();
    expect(mismatch(got.get("decoder")!, out)).toBeNull();
  });

  it("gives every call of shared layers and models, and every layer with 'all'", async () => {
    const c = "zoo/nested_shared";
    const m = await load(join(KERAS3, c, "model.keras"));
    const x = [await npy(c, "in/0.npy"), await npy(c, "in/1.npy")];
    const got = await m.extract(["siamese", "siamese/shared_dense"], x);
    expect([...got.keys()]).toEqual([
      "siamese",
      "siamese@1",
      "siamese/shared_dense",
      "siamese/shared_dense@1",
      "siamese/shared_dense@2",
      "siamese/shared_dense@3",
    ]);
    // The model's second output is the second call of the nested model (Keras's node 2).
    expect(mismatch(got.get("siamese@1")!, await npy(c, "out/1.npy"))).toBeNull();
    const all = await m.extract("all", x);
    expect(all.size).toBe(31);
    expect(mismatch(all.get("dense_2")!, await npy(c, "out/0.npy"))).toBeNull();
  });

  it("takes any model object holding a graph (the API's Model), and toOnnx does too", async () => {
    const c = "seed/mnist_mlp";
    const { graph } = await openModel(join(KERAS3, c, "model.keras"));
    const got = await extractFeatures({ graph }, ["dense_1"], await npy(c, "in/0.npy"));
    expect(mismatch(got.get("dense_1")!, await npy(c, "activations/dense_1.npy"))).toBeNull();
    expect(toOnnx({ graph }).graph.outputs.map((o) => o.name)).toEqual(["dense_2"]);
    expect(() => toOnnx({ graph: null })).toThrow(/no Keras graph/);
  });

  it("names a missing or ambiguous layer", async () => {
    const m = await load(join(KERAS3, "zoo/nested_shared/model.keras"));
    const x = [await npy("zoo/nested_shared", "in/0.npy"), await npy("zoo/nested_shared", "in/1.npy")];
    await expect(m.extract(["nope"], x)).rejects.toThrow(/the model has no layer 'nope'/);
    await expect(m.extract(["input_layer"], x)).resolves.toBeDefined();
  });
});
