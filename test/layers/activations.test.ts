/**
 * Activation kinds beyond what the fixtures record. All are elementwise (`compute_output_shape` returns
 * the input shape; the output takes the compute dtype). PReLU's `alpha` follows `PReLU.build`:
 * `param_shape = input_shape[1:]`, then `param_shape[i - 1] = 1` for each shared axis i (Python indexing).
 */
import { describe, expect, it } from "vitest";
import { ShapeError } from "../../src/ir/errors.js";
import type { Shape } from "../../src/ir/shape.js";
import { activationsKinds } from "../../src/layers/activations/index.js";
import { checkLayerFixtures, outputShape, runKind, spec, weightShapes } from "./run-kind.js";

const N = null;
const elementwise: [className: string, config: Record<string, unknown>][] = [
  ["Activation", { activation: "relu" }],
  ["Activation", { activation: { module: "keras.activations", class_name: "function", config: "gelu" } }],
  ["Activation", { activation: { class_name: "ReLU", config: { max_value: 6 } } }],
  ["ReLU", { max_value: 6.0 }],
  ["LeakyReLU", { negative_slope: 0.1 }],
  ["LeakyReLU", { alpha: 0.2 }],
  ["ELU", {}],
  ["Softmax", { axis: [1, 2] }],
  ["ThresholdedReLU", { theta: 0.5 }],
  ["PReLU", {}],
];

describe("activation kinds: output shapes", () => {
  it.each(elementwise)("%s %j keeps the shape", (className, config) => {
    expect(outputShape(className, config, [N, 3, 4])).toEqual([N, 3, 4]);
    expect(outputShape(className, config, [2, 5])).toEqual([2, 5]);
  });
  it("Softmax called with mask= has the inputs' shape", () => {
    expect(outputShape("Softmax", {}, [N, 4, 6], { mask: spec([N, 4, 6], "bool") })).toEqual([N, 4, 6]);
  });
  it("outputs take the compute dtype, even for integer inputs", () => {
    expect(runKind("ReLU", {}, spec([N, 3], "int32")).outputs[0]!.dtype).toBe("float32");
    expect(runKind("Activation", { activation: "tanh", dtype: "mixed_float16" }, [N, 3]).outputs[0]!.dtype).toBe(
      "float16",
    );
  });
});

type WeightRow = [label: string, config: Record<string, unknown>, input: Shape, alpha: number[]];
const prelu: WeightRow[] = [
  ["no sharing", {}, [N, 4, 5, 3], [4, 5, 3]],
  ["shared spatial axes", { shared_axes: [1, 2] }, [N, 4, 5, 3], [1, 1, 3]],
  ["shared spatial axes, unknown sizes", { shared_axes: [1, 2] }, [N, N, N, 3], [1, 1, 3]],
  ["one int axis", { shared_axes: 1 }, [N, 4, 5, 3], [1, 5, 3]],
  // Keras indexes param_shape[i - 1]: axis -1 lands on param_shape[-2]
  ["negative axis, as Python indexes it", { shared_axes: [-1] }, [N, 4, 5, 3], [4, 1, 3]],
];

describe("PReLU weights", () => {
  it.each(prelu)("%s", (_label, config, input, alpha) => {
    expect(weightShapes("PReLU", config, input)).toEqual([["alpha", alpha]]);
  });
  it("other activations build no weights", () => {
    expect(runKind("LeakyReLU", {}, [N, 3]).weights).toEqual([]);
  });
});

describe("activation kinds: errors", () => {
  it("PReLU needs known sizes on the axes it does not share", () => {
    expect(() => runKind("PReLU", {}, [N, N, 3])).toThrow(ShapeError);
    expect(() => runKind("PReLU", {}, [N, N, 3])).toThrow(/PReLU 'layer'.*alpha/);
  });
  it("PReLU shared axis outside the input", () => {
    expect(() => runKind("PReLU", { shared_axes: [4] }, [N, 3, 3])).toThrow(/shared_axes contains 4/);
  });
  it("a layer called on two tensors", () => {
    expect(() =>
      runKind("ReLU", {}, [
        [N, 3],
        [N, 3],
      ]),
    ).toThrow(/ReLU 'layer'.*expects 1 input tensor.*received 2/);
  });
});

describe("activation kinds against Keras's single-layer fixtures", () => checkLayerFixtures(activationsKinds));
