/**
 * Attention kinds beyond what the fixtures record. Expected values come from Keras's sources
 * (keras/src/layers/attention/):
 * - attention.py `compute_output_spec`: output `(*query[:-1], value[-1])`, scores `(*query[:-1], key[-2])`;
 *   weights `scale` () with use_scale, `concat_score_weight` () with score_mode "concat";
 *   additive_attention.py: `scale` (query[-1],).
 * - multi_head_attention.py: `compute_output_shape` = query shape with `output_shape` replacing its last
 *   axis; `build` with `_build_proj_equation(rank - 1, bound_dims=1, output_dims=2)`: EinsumDense
 *   kernels (features, heads, dim), biases (heads, dim); the output projection (bound_dims=2):
 *   kernel (heads, value_dim, *output_shape), bias output_shape. Scores: (batch, heads, Tq, Tq).
 * - grouped_query_attention.py: "bqm,muh->bquh" (query), "bkm,mvh->bkvh" (key, value),
 *   "bquh,uhm->bqm" (output); scores (batch, num_query_heads, Tq, Tkv).
 */
import { describe, expect, it } from "vitest";
import { evaluateLayer } from "../../src/ir/build.js";
import { FormatError, ShapeError } from "../../src/ir/errors.js";
import type { ArgTree, TensorSpec } from "../../src/ir/graph.js";
import { Layer } from "../../src/ir/graph.js";
import type { Shape } from "../../src/ir/shape.js";
import { attentionKinds } from "../../src/layers/attention/index.js";
import { defaultRegistry } from "../../src/layers/registry.js";
import { checkLayerFixtures, runKind, spec } from "./run-kind.js";

const N = null;

/** `layer(query, value, key=None, **kwargs)` with positional tensors, as Keras 3 records MultiHeadAttention. */
function callQVK(
  className: string,
  config: Record<string, unknown>,
  shapes: Shape[],
  kwargs: Record<string, ArgTree<TensorSpec>> = {},
) {
  const layer = new Layer(className, "layer", { name: "layer", ...config });
  return evaluateLayer(
    layer,
    shapes.map((s) => spec(s)),
    kwargs,
    defaultRegistry.resolver(),
  );
}

const mha = { num_heads: 2, key_dim: 8 };

describe("Attention and AdditiveAttention", () => {
  it("[query, value, key]: value's features, key's length for the scores", () => {
    const { outputs } = runKind(
      "Attention",
      {},
      [
        [N, 4, 8],
        [N, 6, 5],
        [N, 6, 8],
      ],
      { return_attention_scores: true },
    );
    expect(outputs.map((o) => o.shape)).toEqual([
      [N, 4, 5],
      [N, 4, 6],
    ]);
  });
  it("scalar weights for use_scale and score_mode concat", () => {
    const { weights } = runKind("Attention", { use_scale: true, score_mode: "concat" }, [
      [N, 4, 8],
      [N, 6, 8],
    ]);
    expect(weights.map((w) => [w.name, w.shape])).toEqual([
      ["scale", []],
      ["concat_score_weight", []],
    ]);
  });
  it("AdditiveAttention's scale has the query's feature size", () => {
    const { outputs, weights } = runKind("AdditiveAttention", {}, [
      [N, 4, 8],
      [N, 6, 8],
    ]);
    expect(outputs[0]!.shape).toEqual([N, 4, 8]);
    expect(weights.map((w) => [w.name, w.shape])).toEqual([["scale", [8]]]);
    expect(
      runKind("AdditiveAttention", { use_scale: false }, [
        [N, 4, 8],
        [N, 6, 8],
      ]).weights,
    ).toEqual([]);
  });
  it.each([
    [
      "a bare tensor",
      "Attention",
      {},
      [N, 4, 8],
      ShapeError,
      /Attention 'layer'.*list of inputs, namely \[query, value\]/,
    ],
    [
      "four inputs",
      "AdditiveAttention",
      {},
      [
        [N, 4, 8],
        [N, 4, 8],
        [N, 4, 8],
        [N, 4, 8],
      ],
      ShapeError,
      /length 2 or 3.*Received length: 4/,
    ],
    [
      "unknown score mode",
      "Attention",
      { score_mode: "add" },
      [
        [N, 4, 8],
        [N, 4, 8],
      ],
      FormatError,
      /score_mode/,
    ],
  ] as [string, string, Record<string, unknown>, Shape | Shape[], typeof ShapeError, RegExp][])(
    "rejects %s",
    (_label, className, config, input, error, message) => {
      expect(() => runKind(className, config, input)).toThrow(error);
      expect(() => runKind(className, config, input)).toThrow(message);
    },
  );
});

describe("MultiHeadAttention", () => {
  it("output_shape int replaces the last axis; the output kernel takes it", () => {
    const { outputs, weights } = callQVK("MultiHeadAttention", { ...mha, output_shape: 10 }, [
      [N, 6, 16],
      [N, 8, 16],
    ]);
    expect(outputs[0]!.shape).toEqual([N, 6, 10]);
    expect(weights.slice(-2).map((w) => [w.name, w.shape])).toEqual([
      ["attention_output/kernel", [2, 8, 10]],
      ["attention_output/bias", [10]],
    ]);
  });
  it("output_shape list", () => {
    const { outputs, weights } = callQVK("MultiHeadAttention", { ...mha, output_shape: [3, 4] }, [
      [N, 6, 16],
      [N, 8, 16],
    ]);
    expect(outputs[0]!.shape).toEqual([N, 6, 3, 4]);
    expect(weights.at(-2)!.shape).toEqual([2, 8, 3, 4]);
  });
  it("value_dim, a key with other features, no bias", () => {
    const { weights } = callQVK("MultiHeadAttention", { ...mha, value_dim: 4, use_bias: false }, [
      [N, 6, 16],
      [N, 8, 10],
      [N, 8, 12],
    ]);
    expect(weights.map((w) => [w.name, w.shape])).toEqual([
      ["query/kernel", [16, 2, 8]],
      ["key/kernel", [12, 2, 8]],
      ["value/kernel", [10, 2, 4]],
      ["attention_output/kernel", [2, 4, 16]],
    ]);
  });
  it("rank-4 inputs over two attention axes: same kernels as rank 3", () => {
    const { outputs, weights } = callQVK("MultiHeadAttention", { ...mha, attention_axes: [1, 2] }, [
      [N, 5, 5, 16],
      [N, 5, 5, 16],
    ]);
    expect(outputs[0]!.shape).toEqual([N, 5, 5, 16]);
    expect(weights.map((w) => w.shape)).toEqual([
      [16, 2, 8],
      [2, 8],
      [16, 2, 8],
      [2, 8],
      [16, 2, 8],
      [2, 8],
      [2, 8, 16],
      [16],
    ]);
  });
  it("use_gate adds a gate projection between key and value", () => {
    const { weights } = callQVK("MultiHeadAttention", { ...mha, value_dim: 4, use_gate: true }, [
      [N, 6, 16],
      [N, 8, 16],
    ]);
    expect(weights.map((w) => w.name)).toEqual([
      "query/kernel",
      "query/bias",
      "key/kernel",
      "key/bias",
      "gate/kernel",
      "gate/bias",
      "value/kernel",
      "value/bias",
      "attention_output/kernel",
      "attention_output/bias",
    ]);
    expect(weights[4]!.shape).toEqual([16, 2, 4]);
  });
  it("value as a keyword (Keras 2) and scores as Keras states them: (batch, heads, Tq, Tq)", () => {
    const { outputs } = runKind("MultiHeadAttention", mha, [N, 6, 16], {
      value: spec([N, 8, 16]),
      return_attention_scores: true,
    });
    expect(outputs.map((o) => o.shape)).toEqual([
      [N, 6, 16],
      [N, 2, 6, 6],
    ]);
  });
  it("rejects a key that differs from the value off the last axis", () => {
    expect(() =>
      callQVK("MultiHeadAttention", mha, [
        [N, 6, 16],
        [N, 8, 16],
        [N, 7, 16],
      ]),
    ).toThrow(/MultiHeadAttention 'layer'.*except the last one, must be equal/);
  });
  it("rejects unknown query features and a missing value", () => {
    expect(() =>
      callQVK("MultiHeadAttention", mha, [
        [N, 6, N],
        [N, 8, 16],
      ]),
    ).toThrow(ShapeError);
    expect(() => callQVK("MultiHeadAttention", mha, [[N, 6, 16]])).toThrow(/query.*value/);
    expect(() =>
      callQVK("MultiHeadAttention", { num_heads: 0, key_dim: 2 }, [
        [N, 6, 16],
        [N, 6, 16],
      ]),
    ).toThrow(FormatError);
  });
});

describe("GroupedQueryAttention", () => {
  const gqa = { head_dim: 4, num_query_heads: 4, num_key_value_heads: 2 };
  it("shapes, scores and projections", () => {
    const { outputs, weights } = callQVK(
      "GroupedQueryAttention",
      gqa,
      [
        [N, 6, 16],
        [N, 8, 16],
      ],
      { return_attention_scores: true },
    );
    expect(outputs.map((o) => o.shape)).toEqual([
      [N, 6, 16],
      [N, 4, 6, 8],
    ]);
    expect(weights.map((w) => [w.name, w.shape])).toEqual([
      ["query/kernel", [16, 4, 4]],
      ["query/bias", [4, 4]],
      ["key/kernel", [16, 2, 4]],
      ["key/bias", [2, 4]],
      ["value/kernel", [16, 2, 4]],
      ["value/bias", [2, 4]],
      ["attention_output/kernel", [4, 4, 16]],
      ["attention_output/bias", [16]],
    ]);
  });
  it("is also known by its export name GroupQueryAttention", () => {
    expect(
      callQVK("GroupQueryAttention", gqa, [
        [N, 6, 16],
        [N, 8, 16],
      ]).outputs[0]!.shape,
    ).toEqual([N, 6, 16]);
  });
  it("rejects different query and value features, and heads that do not divide", () => {
    expect(() =>
      callQVK("GroupedQueryAttention", gqa, [
        [N, 6, 16],
        [N, 8, 12],
      ]),
    ).toThrow(/last dimension of `query_shape` and `value_shape` must be equal/);
    expect(() =>
      callQVK("GroupedQueryAttention", { ...gqa, num_key_value_heads: 3 }, [
        [N, 6, 16],
        [N, 8, 16],
      ]),
    ).toThrow(FormatError);
  });
});

describe("attention kinds against Keras's single-layer fixtures", () => checkLayerFixtures(attentionKinds));
