/**
 * Core kinds beyond what the fixtures record. EinsumDense follows Keras's `_analyze_einsum_string`
 * (keras/src/layers/core/einsum_dense.py): output = (batch, *output_shape) with the elided dims inserted
 * (leading `...`: each inserted at position 1, which reverses their order) or appended (trailing `...`);
 * kernel dims from the output where named there, else from the input; bias from the first bias axis on,
 * 1 where not named, plus a 1 per trailing elided dim. Embedding: (*input_shape, output_dim).
 */
import { describe, expect, it } from "vitest";
import { FormatError, ShapeError } from "../../src/ir/errors.js";
import type { Shape } from "../../src/ir/shape.js";
import { coreKinds } from "../../src/layers/core/index.js";
import { checkLayerFixtures, outputShape, runKind, spec, weightShapes } from "./run-kind.js";

const N = null;

type EinsumRow = [
  label: string,
  config: Record<string, unknown>,
  input: Shape,
  output: Shape,
  weights: [string, number[]][],
];
const einsum: EinsumRow[] = [
  [
    "dense",
    { equation: "ab,bc->ac", output_shape: 64, bias_axes: "c" },
    [N, 32],
    [N, 64],
    [
      ["kernel", [32, 64]],
      ["bias", [64]],
    ],
  ],
  // the output's None at a shared dim stays None: Keras does not fill it from the input
  [
    "sequence",
    { equation: "abc,cd->abd", output_shape: [N, 64], bias_axes: "d" },
    [N, 32, 128],
    [N, N, 64],
    [
      ["kernel", [128, 64]],
      ["bias", [64]],
    ],
  ],
  [
    "sequence with known shared dim",
    { equation: "abc,cd->abd", output_shape: [32, 64] },
    [N, 32, 128],
    [N, 32, 64],
    [["kernel", [128, 64]]],
  ],
  [
    "leading ellipsis",
    { equation: "...x,xy->...y", output_shape: 64, bias_axes: "y" },
    [N, 32, 128],
    [N, 32, 64],
    [
      ["kernel", [128, 64]],
      ["bias", [64]],
    ],
  ],
  // elided = 3: input[1] then input[2] are inserted at position 1 -> (None, 6, 5, 64)
  [
    "leading ellipsis over two dims (Keras's order)",
    { equation: "...x,xy->...y", output_shape: 64 },
    [N, 5, 6, 7],
    [N, 6, 5, 64],
    [["kernel", [7, 64]]],
  ],
  // elided = 1: (None, 8) + input[2]; bias "c" -> [8] + one trailing 1
  [
    "trailing ellipsis",
    { equation: "ab...,bc->ac...", output_shape: 8, bias_axes: "c" },
    [N, 4, 7],
    [N, 8, 7],
    [
      ["kernel", [4, 8]],
      ["bias", [8, 1]],
    ],
  ],
  [
    "attention projection",
    { equation: "abc,cde->abde", output_shape: [N, 2, 16], bias_axes: "de" },
    [N, 10, 32],
    [N, N, 2, 16],
    [
      ["kernel", [32, 2, 16]],
      ["bias", [2, 16]],
    ],
  ],
  // bias from the first named axis ('d') on: d named -> 2, e not named -> 1
  [
    "partial bias",
    { equation: "abc,cde->abde", output_shape: [N, 2, 16], bias_axes: "d" },
    [N, 10, 32],
    [N, N, 2, 16],
    [
      ["kernel", [32, 2, 16]],
      ["bias", [2, 1]],
    ],
  ],
  [
    "lora",
    { equation: "ab,bc->ac", output_shape: 8, lora_rank: 2 },
    [N, 4],
    [N, 8],
    [
      ["kernel", [4, 8]],
      ["lora_kernel_a", [4, 2]],
      ["lora_kernel_b", [2, 8]],
    ],
  ],
];

describe("EinsumDense", () => {
  it.each(einsum)("%s", (_label, config, input, output, weights) => {
    expect(outputShape("EinsumDense", config, input)).toEqual(output);
    expect(weightShapes("EinsumDense", config, input)).toEqual(weights);
  });
  it.each([
    ["bad equation", { equation: "ab->b", output_shape: 3 }, [N, 4], FormatError, /Invalid einsum equation 'ab->b'/],
    [
      "shared dim mismatch",
      { equation: "abc,cd->abd", output_shape: [7, 3] },
      [N, 5, 4],
      ShapeError,
      /shared dimension 'b'. Input shape is 5, and output shape is 7/,
    ],
    [
      "bias axis not in output",
      { equation: "ab,bc->ac", output_shape: 3, bias_axes: "x" },
      [N, 4],
      FormatError,
      /Bias dimension 'x'/,
    ],
    [
      "input rank below the equation's",
      { equation: "abc,cd->abd", output_shape: [N, 3] },
      [N, 4],
      ShapeError,
      /does not match an input of rank 2/,
    ],
  ] as [string, Record<string, unknown>, Shape, typeof ShapeError, RegExp][])(
    "error: %s",
    (_label, config, input, error, message) => {
      expect(() => runKind("EinsumDense", config, input)).toThrow(error);
      expect(() => runKind("EinsumDense", config, input)).toThrow(message);
    },
  );
});

describe("Embedding and ReversibleEmbedding", () => {
  it("indices of any rank gain an output_dim axis, in the compute dtype", () => {
    const { outputs, weights } = runKind("Embedding", { input_dim: 4, output_dim: 3 }, spec([N, 8], "int32"));
    expect(outputs).toEqual([{ shape: [N, 8, 3], dtype: "float32" }]);
    expect(weights.map((w) => [w.name, w.shape])).toEqual([["embeddings", [4, 3]]]);
    expect(outputShape("Embedding", { input_dim: 4, output_dim: 3 }, spec([N], "int32"))).toEqual([N, 3]);
    expect(outputShape("Embedding", { input_dim: 4, output_dim: 3 }, spec([N, 2, 5], "int64"))).toEqual([N, 2, 5, 3]);
    expect(
      runKind("Embedding", { input_dim: 4, output_dim: 3, dtype: "mixed_float16" }, spec([N, 8], "int32")).outputs[0]!
        .dtype,
    ).toBe("float16");
  });
  it("Keras 2's input_length is ignored, as Keras 3 does", () => {
    expect(outputShape("Embedding", { input_dim: 4, output_dim: 3, input_length: 8 }, [N, 8])).toEqual([N, 8, 3]);
  });
  it("lora adds lora_embeddings_a/b and freezes the table", () => {
    const { weights } = runKind("Embedding", { input_dim: 10, output_dim: 6, lora_rank: 2 }, [N, 3]);
    expect(weights.map((w) => [w.name, w.shape, w.trainable])).toEqual([
      ["embeddings", [10, 6], false],
      ["lora_embeddings_a", [10, 2], true],
      ["lora_embeddings_b", [2, 6], true],
    ]);
  });
  it("ReversibleEmbedding maps back to logits with reverse=True", () => {
    const config = { input_dim: 100, output_dim: 16 };
    expect(outputShape("ReversibleEmbedding", config, spec([N, 8], "int32"))).toEqual([N, 8, 16]);
    expect(outputShape("ReversibleEmbedding", config, [N, 8, 16], { reverse: true })).toEqual([N, 8, 100]);
    expect(weightShapes("ReversibleEmbedding", { ...config, tie_weights: false }, [N, 8])).toEqual([
      ["embeddings", [100, 16]],
      ["reverse_embeddings", [16, 100]],
    ]);
    expect(weightShapes("ReversibleEmbedding", config, [N, 8])).toEqual([["embeddings", [100, 16]]]);
  });
});

describe("Identity, Masking, TernaryDense", () => {
  it("Identity passes every input through, keeping integer dtypes", () => {
    expect(runKind("Identity", {}, spec([N, 3], "int32")).outputs).toEqual([{ shape: [N, 3], dtype: "int32" }]);
    expect(runKind("Identity", {}, [spec([N, 3]), spec([N, 4], "bool")]).outputs).toEqual([
      { shape: [N, 3], dtype: "float32" },
      { shape: [N, 4], dtype: "bool" },
    ]);
  });
  it("Masking keeps the shape", () => {
    expect(outputShape("Masking", { mask_value: -1 }, [N, 5, 3])).toEqual([N, 5, 3]);
  });
  it("TernaryDense is shaped like Dense", () => {
    expect(outputShape("TernaryDense", { units: 3 }, [N, 5, 8])).toEqual([N, 5, 3]);
    expect(weightShapes("TernaryDense", { units: 3 }, [N, 8])).toEqual([
      ["kernel", [8, 3]],
      ["bias", [3]],
    ]);
    expect(() => runKind("TernaryDense", { units: 3 }, [N])).toThrow(/TernaryDense 'layer'.*expected min_ndim=2/);
  });
});

describe("Lambda (never executed)", () => {
  const fn = { class_name: "__lambda__", config: { code: "...", defaults: null, closure: null } };
  it("a stated output_shape gets the batch dimension in front", () => {
    expect(outputShape("Lambda", { function: fn, output_shape: [10] }, [N, 3, 4])).toEqual([N, 10]);
    expect(outputShape("Lambda", { function: fn, output_shape: [N, 10] }, [7, 3])).toEqual([7, N, 10]);
  });
  it("a list of shapes is one output each", () => {
    const { outputs } = runKind("Lambda", { function: fn, output_shape: [[2], [3, 4]] }, [N, 5]);
    expect(outputs.map((o) => o.shape)).toEqual([
      [N, 2],
      [N, 3, 4],
    ]);
  });
  it("without a usable output_shape, the output is shaped like the first input", () => {
    expect(outputShape("Lambda", { function: fn }, [N, 3, 4])).toEqual([N, 3, 4]);
    expect(outputShape("Lambda", { function: fn, output_shape: fn }, [N, 3, 4])).toEqual([N, 3, 4]);
    const keras2 = {
      function: ["4wEAAA==", null, null],
      function_type: "lambda",
      output_shape: ["4wEA", null, null],
      output_shape_type: "lambda",
    };
    expect(outputShape("Lambda", keras2, [N, 6])).toEqual([N, 6]);
    expect(
      outputShape("Lambda", { function: fn }, [
        [N, 3],
        [N, 3],
      ]),
    ).toEqual([N, 3]);
  });
  it("takes the compute dtype", () => {
    expect(runKind("Lambda", { function: fn }, spec([N, 3], "int32")).outputs[0]!.dtype).toBe("float32");
  });
});

describe("core kinds against Keras's single-layer fixtures", () => checkLayerFixtures(coreKinds));
