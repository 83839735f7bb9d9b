import type { TensorSpec } from "../../ir/graph.js";
import type { CallContext, LayerKind } from "../../ir/kind.js";
import type { Dim } from "../../ir/shape.js";
import { resultType } from "./dtypes.js";
import {
  arg,
  axisList,
  boolOpt,
  canonicalizeAxis,
  defineOp,
  defineOps,
  dtypeOpt,
  intOpt,
  isSpec,
  opt,
  pyTuple,
  reduceShape,
  tensorAt,
} from "./define-op.js";
import { shapesEqual } from "../../ir/shape.js";

/*
 * keras/src/ops/nn.py: activations (`keras.ops.relu(x)`, `keras.ops.softmax(x, axis=-1)`) keep the
 * input's shape and dtype; one-hot encodings, normalizations, losses and space/depth rearrangements.
 */

const keep = (ctx: CallContext): TensorSpec => {
  const x = tensorAt(ctx, 0, "x");
  return { shape: x.shape, dtype: x.dtype };
};

/** Checks an `axis` argument against the input's rank, then keeps shape and dtype. */
const keepWithAxis = (ctx: CallContext): TensorSpec => {
  const x = tensorAt(ctx, 0, "x");
  for (const a of axisList(ctx, opt(ctx, "axis")) ?? []) canonicalizeAxis(ctx, a, x.shape.length);
  return { shape: x.shape, dtype: x.dtype };
};

const activationKinds = [
  ...defineOps(
    {
      Relu: {},
      Relu6: {},
      Sigmoid: {},
      SparseSigmoid: {},
      Softplus: {},
      Softsign: {},
      SoftShrink: { threshold: 0.5 },
      SparsePlus: {},
      Silu: {},
      Squareplus: { b: 4 },
      LogSigmoid: {},
      LeakyRelu: { negative_slope: 0.2 },
      HardSigmoid: {},
      HardSilu: {},
      Elu: { alpha: 1.0 },
      Selu: {},
      Gelu: { approximate: true },
      Celu: { alpha: 1.0 },
      TanhShrink: {},
      HardTanh: {},
      HardShrink: { threshold: 0.5 },
      Threshold: {},
    },
    keep,
  ),
  ...defineOps({ Softmax: { axis: -1 }, LogSoftmax: { axis: -1 }, Sparsemax: { axis: -1 } }, keepWithAxis),
  /** `glu(x, axis=-1)`: halves the axis (which must be even when known). */
  defineOp("Glu", { axis: -1 }, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    const axis = canonicalizeAxis(ctx, opt(ctx, "axis"), x.shape.length);
    const d = x.shape[axis]!;
    if (d !== null && d % 2 !== 0)
      ctx.fail(`axis size must be divisible by 2. Received: x.shape=${pyTuple(x.shape)} with axis=${opt(ctx, "axis")}`);
    return { shape: x.shape.map((v, i) => (i === axis && v !== null ? v / 2 : v)), dtype: x.dtype };
  }),
];

/** `one_hot(x, num_classes, axis=-1)` / `multi_hot(...)`: a class axis at `axis` (-1: last). */
function classAxis(ctx: CallContext, x: TensorSpec): Dim[] {
  // MultiHot also takes the Keras 2 name `num_tokens` (kept in its config through `**kwargs`).
  const n = opt(ctx, "num_classes") ?? opt(ctx, "num_tokens");
  if (typeof n !== "number")
    return ctx.fail(`Argument \`num_classes\` must be specified. Received: num_classes=${String(n)}`);
  const axis = intOpt(ctx, "axis");
  const shape = [...x.shape];
  if (axis === -1) shape.push(n);
  else if (axis >= 0 && axis < shape.length) shape.splice(axis, 0, n);
  else ctx.fail(`axis must be -1 or between [0, ${x.shape.length}), but received ${axis}.`);
  return shape;
}

const encodingKinds = [
  defineOp("OneHot", { axis: -1, dtype: null, sparse: false }, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    return { shape: classAxis(ctx, x), dtype: dtypeOpt(ctx, "float32") };
  }),
  /** `multi_hot`: the one-hot shape with its second axis (the per-sample positions) reduced. */
  defineOp("MultiHot", { num_classes: null, axis: -1, dtype: null, sparse: false }, (ctx) => {
    const x = tensorAt(ctx, 0, "inputs");
    const shape = classAxis(ctx, x);
    return { shape: shape.length === 2 ? [shape[1]!] : [shape[0]!, ...shape.slice(2)], dtype: x.dtype };
  }),
];

const normKinds = [
  /** `moments(x, axes, keepdims=False)`: mean and variance. */
  defineOp("Moments", { keepdims: false, synchronized: false }, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    const shape = reduceShape(ctx, x.shape, opt(ctx, "axes"), boolOpt(ctx, "keepdims"));
    return [
      { shape, dtype: x.dtype },
      { shape, dtype: x.dtype },
    ];
  }),
  /** `batch_normalization(x, mean, variance, axis, offset=None, scale=None, epsilon=1e-3)`. */
  defineOp("BatchNorm", { epsilon: 1e-3 }, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    const axis = canonicalizeAxis(ctx, opt(ctx, "axis"), x.shape.length);
    const want = [x.shape[axis]!];
    for (const [i, name] of [
      [1, "mean"],
      [2, "variance"],
      [3, "offset"],
      [4, "scale"],
    ] as const) {
      const v = arg(ctx, i, name);
      if (isSpec(v) && !shapesEqual(v.shape, want)) {
        ctx.fail(
          `Arguments \`${name}\` must be a vector of length \`x.shape[axis]\`. Expected: \`${pyTuple(want)}\`. Received: \`${pyTuple(v.shape)}.`,
        );
      }
    }
    return { shape: x.shape, dtype: x.dtype };
  }),
  defineOp("Normalize", { axis: -1, order: 2, epsilon: null }, (ctx) => ({ ...keepWithAxis(ctx), dtype: "float32" })),
  defineOp("RMSNorm", { axis: -1, epsilon: null }, keep),
  defineOp("LayerNorm", { axis: -1, epsilon: null, rms_scaling: false }, keep),
  defineOp("DotProductAttention", { is_causal: false, flash_attention: null, attn_logits_soft_cap: null }, (ctx) => {
    const [q, k, v] = [tensorAt(ctx, 0, "query"), tensorAt(ctx, 1, "key"), tensorAt(ctx, 2, "value")];
    return { shape: q.shape, dtype: resultType(q.dtype, k.dtype, v.dtype) };
  }),
  defineOp("PSNR", {}, (ctx) => {
    const [a, b] = [tensorAt(ctx, 0, "x1"), tensorAt(ctx, 1, "x2")];
    if (a.shape.length !== b.shape.length) ctx.fail("Inputs must have the same rank");
    return { shape: [], dtype: "float32" };
  }),
  defineOp("Polar", {}, (ctx) => ({ shape: tensorAt(ctx, 0, "abs_").shape, dtype: "float32" })),
];

const sameShape = (ctx: CallContext, t: TensorSpec, o: TensorSpec) => {
  if (!shapesEqual(t.shape, o.shape)) {
    ctx.fail(
      `Arguments \`target\` and \`output\` must have the same shape. Received: target.shape=${pyTuple(t.shape)}, output.shape=${pyTuple(o.shape)}`,
    );
  }
};

const lossKinds = [
  defineOp("BinaryCrossentropy", { from_logits: false }, (ctx) => {
    const [t, o] = [tensorAt(ctx, 0, "target"), tensorAt(ctx, 1, "output")];
    sameShape(ctx, t, o);
    return { shape: o.shape, dtype: o.dtype };
  }),
  defineOp("CategoricalCrossentropy", { from_logits: false, axis: -1 }, (ctx) => {
    const [t, o] = [tensorAt(ctx, 0, "target"), tensorAt(ctx, 1, "output")];
    sameShape(ctx, t, o);
    if (t.shape.length < 1)
      ctx.fail(
        `Arguments \`target\` and \`output\` must be at least rank 1. Received: target.shape=${pyTuple(t.shape)}, output.shape=${pyTuple(o.shape)}`,
      );
    return { shape: o.shape.slice(0, -1), dtype: o.dtype };
  }),
  defineOp("SparseCategoricalCrossentropy", { from_logits: false, axis: -1 }, (ctx) => {
    const [t, o] = [tensorAt(ctx, 0, "target"), tensorAt(ctx, 1, "output")];
    if (o.shape.length < 1)
      ctx.fail(`Argument \`output\` must be at least rank 1. Received: output.shape=${pyTuple(o.shape)}`);
    const axis = canonicalizeAxis(ctx, opt(ctx, "axis"), o.shape.length);
    const target = t.shape.length === o.shape.length && t.shape.at(-1) === 1 ? t.shape.slice(0, -1) : t.shape;
    const out = o.shape.filter((_, i) => i !== axis);
    if (!shapesEqual(target, out)) {
      ctx.fail(
        `Arguments \`target\` and \`output\` must have the same shape up until the last dimension: target.shape=${pyTuple(t.shape)}, output.shape=${pyTuple(o.shape)}`,
      );
    }
    return { shape: out, dtype: o.dtype };
  }),
  defineOp("CTCLoss", { mask_index: 0 }, (ctx) => {
    const [t, o] = [tensorAt(ctx, 0, "target"), tensorAt(ctx, 1, "output")];
    return { shape: [t.shape[0] ?? null], dtype: resultType(o.dtype, "float32") };
  }),
  defineOp(
    "CTCDecode",
    { strategy: "greedy", beam_width: 100, top_paths: 1, merge_repeated: true, mask_index: 0 },
    (ctx) => {
      const x = tensorAt(ctx, 0, "inputs");
      const paths = opt(ctx, "strategy") === "greedy" ? 1 : intOpt(ctx, "top_paths");
      return [
        { shape: [paths, x.shape[0] ?? null, x.shape[1] ?? null], dtype: "int32" },
        { shape: [x.shape[0] ?? null, paths], dtype: resultType(x.dtype, "float32") },
      ];
    },
  ),
];

/** `depth_to_space` / `space_to_depth(x, block_size, data_format="channels_last")` on 4-D inputs. */
const spaceDepth =
  (toSpace: boolean) =>
  (ctx: CallContext): TensorSpec => {
    const x = tensorAt(ctx, 0, "x");
    const name = toSpace ? "depth_to_space" : "space_to_depth";
    if (x.shape.length !== 4) ctx.fail(`\`${name}\` requires a 4D input tensor. Received: x.shape=${pyTuple(x.shape)}`);
    const last = (opt(ctx, "data_format") ?? "channels_last") === "channels_last";
    const [b, h, w, c] = (last ? x.shape : [x.shape[0], x.shape[2], x.shape[3], x.shape[1]]) as Dim[];
    const n = intOpt(ctx, "block_size");
    const mul = (d: Dim, k: number) => (d === null ? null : d * k);
    const div = (d: Dim, k: number, what: string) => {
      if (d !== null && d % k !== 0)
        ctx.fail(`${what} (${d}) must be divisible by ${toSpace ? "block_size**2" : "block_size"} (${k}).`);
      return d === null ? null : d / k;
    };
    const [nh, nw, nc] = toSpace
      ? [mul(h!, n), mul(w!, n), div(c!, n * n, "The number of channels")]
      : [div(h!, n, "Height"), div(w!, n, "Width"), mul(c!, n * n)];
    return { shape: last ? [b!, nh, nw, nc] : [b!, nc, nh, nw], dtype: x.dtype };
  };

const rearrangeKinds = [
  defineOp("DepthToSpace", { data_format: "channels_last" }, spaceDepth(true)),
  defineOp("SpaceToDepth", { data_format: "channels_last" }, spaceDepth(false)),
];

const pair = (v: unknown): [number, number] => (typeof v === "number" ? [v, v] : (v as [number, number]));

/** `unfold` / `fold` (torch's im2col and col2im) on channels_first 4-D / 3-D inputs. */
const foldKinds = [
  defineOp("Unfold", { dilation: 1, padding: 0, stride: 1 }, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    if (x.shape.length !== 4)
      ctx.fail(`\`unfold\` expects a 4-D input (N, C, H, W). Received: x.shape=${pyTuple(x.shape)}`);
    const [n, c, h, w] = x.shape as Dim[];
    const [k, d, p, s] = ["kernel_size", "dilation", "padding", "stride"].map((key) => pair(opt(ctx, key))) as [
      number,
      number,
    ][];
    // (L + 2p - d(k - 1) - 1) // s + 1 per spatial dim
    const out = (len: Dim, i: 0 | 1) =>
      len === null ? null : Math.floor((len + 2 * p![i] - d![i] * (k![i] - 1) - 1) / s![i]) + 1;
    const [oh, ow] = [out(h!, 0), out(w!, 1)];
    return {
      shape: [n!, c === null ? null : c * k![0] * k![1], oh === null || ow === null ? null : oh * ow],
      dtype: x.dtype,
    };
  }),
  defineOp("Fold", { dilation: 1, padding: 0, stride: 1 }, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    if (x.shape.length !== 3)
      ctx.fail(`\`fold\` expects a 3-D input (N, C*kH*kW, L). Received: x.shape=${pyTuple(x.shape)}`);
    const [kh, kw] = pair(opt(ctx, "kernel_size"));
    const [oh, ow] = pair(opt(ctx, "output_size"));
    const ckk = x.shape[1]!;
    if (ckk !== null && ckk % (kh * kw) !== 0) {
      ctx.fail(`The second dimension of the input (${ckk}) must be divisible by kernel_size product (${kh * kw}).`);
    }
    return { shape: [x.shape[0]!, ckk === null ? null : ckk / (kh * kw), oh, ow], dtype: x.dtype };
  }),
];

export const nnKinds: LayerKind[] = [
  ...activationKinds,
  ...encodingKinds,
  ...normKinds,
  ...lossKinds,
  ...rearrangeKinds,
  ...foldKinds,
];
