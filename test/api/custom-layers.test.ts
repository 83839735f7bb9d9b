/**
 * Custom layers: a TypeScript class with build/call/getConfig is called like any layer, serialized as
 * Keras serializes a custom object, rebuilt from its config with or without registration, run eagerly
 * on tfjs tensors and on onnxruntime through its emitter; what is missing is named in the errors.
 */
import * as tf from "@tensorflow/tfjs-core";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { CustomDense } from "../../examples/custom-dense.js";
import { CustomRNN } from "../../examples/custom-rnn.js";
import {
  Input,
  KerasLayer,
  Model,
  type NdArray,
  type Weight,
  clearSession,
  loadModel,
  ndarray,
} from "../../src/api/index.js";
import { UnsupportedLayerError } from "../../src/ir/errors.js";
import type { Shape } from "../../src/ir/shape.js";
import { mismatch } from "../support/allclose.js";

beforeEach(() => clearSession());

/** Not registered: known by its class name only. */
class Offset extends KerasLayer {
  readonly delta: number;
  declare bias: Weight;
  constructor({ delta = 1, ...base }: { delta?: number; name?: string } = {}) {
    super(base);
    this.delta = delta;
  }
  override build(shape: Shape): void {
    this.bias = this.addWeight({ shape: [shape.at(-1)!], initializer: "ones", name: "bias" });
  }
  override call(x: tf.Tensor): tf.Tensor {
    return tf.add(tf.add(x, this.bias.value), this.delta);
  }
  override getConfig() {
    return { ...super.getConfig(), delta: this.delta };
  }
}

/** Two tensors in: `build` receives a list of shapes. */
class Pairwise extends KerasLayer {
  seen: Shape | Shape[] = [];
  override build(shapes: Shape[]): void {
    this.seen = shapes;
  }
  override call([a, b]: tf.Tensor[]): tf.Tensor {
    return tf.mul(a!, b!);
  }
  override getConfig() {
    return super.getConfig();
  }
}

const x = (n: number, f: number) =>
  ndarray(
    "float32",
    [n, f],
    Float32Array.from({ length: n * f }, (_, i) => Math.cos(i)),
  );

describe("serialization", () => {
  it("an unregistered class is written as Keras writes one: module null, registered_name its class name", () => {
    const a = Input([3]);
    const model = new Model(a, new Offset({ delta: 2 })(a));
    const entry = (model.getConfig().layers as Record<string, unknown>[])[1]!;
    expect(entry).toMatchObject({
      module: null,
      class_name: "Offset",
      registered_name: "Offset",
      config: { name: "offset", trainable: true, delta: 2 },
      build_config: { input_shape: [null, 3] },
    });
  });

  it("a registered class carries its package, as Keras's register_keras_serializable", () => {
    const a = Input([4]);
    const model = new Model(a, new CustomDense({ units: 3 })(a));
    const entry = (model.getConfig().layers as Record<string, unknown>[])[1]!;
    expect(entry.registered_name).toBe("seed>CustomDense");
  });

  it("fromConfig rebuilds custom layers from customObjects, or names the class it does not know", () => {
    const a = Input([3]);
    const config = new Model(a, new Offset({ delta: 5 })(a)).getConfig();
    const named = structuredClone(config);
    (named.layers as { class_name: string; registered_name: string }[])[1]!.class_name = "Shift";
    (named.layers as { class_name: string; registered_name: string }[])[1]!.registered_name = "Shift";
    expect(() => Model.fromConfig(named)).toThrow(UnsupportedLayerError);
    expect(() => Model.fromConfig(named)).toThrow(/layer 'offset' has class 'Shift'/);
    const rebuilt = Model.fromConfig(named, { customObjects: { Shift: Offset } });
    const layer = rebuilt.getLayer("offset") as Offset;
    expect(layer).toBeInstanceOf(Offset);
    expect(layer.delta).toBe(5);
  });
});

describe("execution", () => {
  it("build gets the list of shapes of a list input; the output shape is traced from call", () => {
    const [a, b] = [Input([3]), Input([3])];
    const layer = new Pairwise();
    const y = layer([a, b]);
    expect(layer.seen).toEqual([
      [null, 3],
      [null, 3],
    ]);
    expect(y.shape).toEqual([null, 3]);
  });

  it("an eager call on tfjs tensors builds the layer and gives the same numbers as onnxruntime", async () => {
    const a = Input([10, 32]);
    const layer = new CustomRNN();
    const model = new Model(a, layer(a));
    const input = x(2 * 10, 32);
    const onnx = (await model.predict({ ...input, shape: [2, 10, 32] })) as NdArray;
    const eager = layer<tf.Tensor>(tf.tensor(input.data as Float32Array, [2, 10, 32]));
    expect(eager.shape).toEqual([2, 10, 1]);
    expect(mismatch({ dtype: "float32", shape: eager.shape, data: eager.dataSync() as Float32Array }, onnx)).toBeNull();
  });

  it("without an ONNX emitter, predict runs the layer's call on the tfjs executor; onnxruntime names the class", async () => {
    const a = Input([3]);
    const model = new Model(a, new Offset({ delta: 2 })(a));
    await expect(model.predict(x(2, 3), { engine: "onnx" })).rejects.toThrow(
      /^cannot run Offset 'offset' on onnxruntime: the custom layer class Offset has no ONNX emitter/,
    );
    const input = x(2, 3);
    const got = (await model.predict(input)) as NdArray;
    const want = { ...input, data: (input.data as Float32Array).map((v) => v + 1 + 2) };
    expect(mismatch(got, want)).toBeNull();
  });

  it("a custom layer trains on the tfjs executor with its own call; both engines then agree", async () => {
    const a = Input([4]);
    const model = new Model(a, new CustomDense({ units: 2 })(a));
    model.compile({ optimizer: { class_name: "SGD", config: { learning_rate: 0.1 } }, loss: "mean_squared_error" });
    const [inputs, targets] = [x(16, 4), ndarray("float32", [16, 2], new Float32Array(32).fill(0.5))];
    const history = await model.fit(inputs, targets, { epochs: 5, batchSize: 8, verbose: 0 });
    const loss = history.history.loss!;
    expect(loss.at(-1)!).toBeLessThan(loss[0]!);
    const [tfjs, onnx] = [
      await model.predict(inputs, { engine: "tfjs" }),
      await model.predict(inputs, { engine: "onnx" }),
    ];
    expect(mismatch(tfjs as NdArray, onnx as NdArray)).toBeNull();
  });

  it("a .keras file with a custom layer loads back with its weights", async () => {
    const a = Input([4]);
    const model = new Model(a, new CustomDense({ units: 3 })(a), { name: "with_custom" });
    const path = join(mkdtempSync(join(tmpdir(), "kerasgraph-api-")), "m.keras");
    await model.save(path);
    const loaded = await loadModel(path);
    expect(loaded.getLayer("custom_dense")).toBeInstanceOf(CustomDense);
    const [before, after] = [await model.predict(x(2, 4)), await loaded.predict(x(2, 4))];
    expect(mismatch(after as NdArray, before as NdArray, { atol: 0, rtol: 0 })).toBeNull();
  });
});
