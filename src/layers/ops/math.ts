import type { TensorSpec } from "../../ir/graph.js";
import type { CallContext, LayerKind } from "../../ir/kind.js";
import type { Dim } from "../../ir/shape.js";
import { shapesEqual } from "../../ir/shape.js";
import { PY_FLOAT, resultType } from "./dtypes.js";
import {
  arg,
  boolOpt,
  broadcastShapes,
  defineOp,
  defineOps,
  intOpt,
  isSpec,
  opt,
  pyTuple,
  reduceShape,
  tensorAt,
} from "./define-op.js";

/*
 * keras/src/ops/math.py: elementwise special functions, `logsumexp`, `top_k`, segment reductions,
 * framing (`extract_sequences`, `stft`) and FFTs (which take and return (real, imag) pairs).
 */

const unaryKinds = [
  ...defineOps({ Rsqrt: {}, Erf: {}, Erfinv: {} }, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    return { shape: x.shape, dtype: x.dtype };
  }),
  defineOp("Erfc", {}, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    return { shape: x.shape, dtype: resultType(x.dtype, PY_FLOAT) };
  }),
  defineOp("Logdet", {}, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    return { shape: x.shape.slice(0, -2), dtype: x.dtype };
  }),
  defineOp("ViewAsComplex", {}, (ctx) => ({ shape: tensorAt(ctx, 0, "x").shape.slice(0, -1), dtype: "complex64" })),
  defineOp("ViewAsReal", {}, (ctx) => ({ shape: [...tensorAt(ctx, 0, "x").shape, 2], dtype: "float32" })),
  defineOp("Gammainc", {}, (ctx) => {
    const [a, b] = [tensorAt(ctx, 0, "x1"), tensorAt(ctx, 1, "x2")];
    return { shape: broadcastShapes(ctx, a.shape, b.shape), dtype: resultType(a.dtype, b.dtype, PY_FLOAT) };
  }),
];

const reduceKinds = [
  defineOp("Logsumexp", { axis: null, keepdims: false }, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    return {
      shape: reduceShape(ctx, x.shape, opt(ctx, "axis"), boolOpt(ctx, "keepdims")),
      dtype: resultType(x.dtype, PY_FLOAT),
    };
  }),
  /** `top_k(x, k)`: values and int32 indices, the last axis cut to k. */
  defineOp("TopK", { sorted: true, is_stable: true }, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    const shape = [...x.shape.slice(0, -1), intOpt(ctx, "k")];
    return [
      { shape, dtype: x.dtype },
      { shape, dtype: "int32" },
    ];
  }),
  defineOp("InTopK", {}, (ctx) => ({ shape: tensorAt(ctx, 0, "targets").shape, dtype: "bool" })),
  /** `segment_sum(data, segment_ids, num_segments=None, sorted=False)`: `(num_segments, *data.shape[1:])`. */
  ...defineOps(
    {
      SegmentSum: { num_segments: null, sorted: false },
      SegmentMax: { num_segments: null, sorted: false },
      SegmentMin: { num_segments: null, sorted: false },
      SegmentProd: { num_segments: null, sorted: false },
    },
    (ctx) => {
      const x = tensorAt(ctx, 0, "data");
      return { shape: [intOpt(ctx, "num_segments", true), ...x.shape.slice(1)], dtype: x.dtype };
    },
  ),
  defineOp("CDist", {}, (ctx) => {
    const [x, y] = [tensorAt(ctx, 0, "x"), tensorAt(ctx, 1, "y")];
    if (x.shape.length < 2 || y.shape.length < 2) {
      ctx.fail(
        `Inputs to \`cdist\` must have rank >= 2. Received shapes: x.shape=${pyTuple(x.shape)}, y.shape=${pyTuple(y.shape)}`,
      );
    }
    const [a, b] = [x.shape.at(-1)!, y.shape.at(-1)!];
    if (a !== null && b !== null && a !== b) {
      ctx.fail(
        `The last dimension of inputs to \`cdist\` must match. Received shapes: x.shape=${pyTuple(x.shape)}, y.shape=${pyTuple(y.shape)}`,
      );
    }
    const batch = broadcastShapes(ctx, x.shape.slice(0, -2), y.shape.slice(0, -2));
    return { shape: [...batch, x.shape.at(-2)!, y.shape.at(-2)!], dtype: resultType(x.dtype, y.dtype, PY_FLOAT) };
  }),
];

/** An FFT input: a (real, imag) pair of tensors of one shape. */
function complexPair(ctx: CallContext, minRank: number, known: number[]): [TensorSpec, TensorSpec] {
  const v = arg(ctx, 0, "x");
  if (!Array.isArray(v) || v.length !== 2 || !v.every(isSpec)) {
    return ctx.fail(
      `Input \`x\` should be a tuple of two tensors - real and imaginary. Received: x=${JSON.stringify(v)}`,
    );
  }
  const [re, im] = v as [TensorSpec, TensorSpec];
  if (!shapesEqual(re.shape, im.shape)) {
    ctx.fail(
      "Input `x` should be a tuple of two tensors - real and imaginary. Both the real and imaginary parts should have the same shape. " +
        `Received: x[0].shape = ${pyTuple(re.shape)}, x[1].shape = ${pyTuple(im.shape)}`,
    );
  }
  if (re.shape.length < minRank)
    ctx.fail(`Input should have rank >= ${minRank}. Received: input.shape = ${pyTuple(re.shape)}`);
  if (known.some((a) => re.shape.at(a) === null)) {
    ctx.fail(
      `Input should have its ${known.length === 1 ? "last dimension" : `(${known.join(", ")}) axes`} fully-defined. Received: input.shape = ${pyTuple(re.shape)}`,
    );
  }
  return [re, im];
}

const pair = (shape: Dim[], dtype: string): TensorSpec[] => [
  { shape, dtype },
  { shape, dtype },
];

const fftKinds = [
  defineOp("FFT", {}, (ctx) => complexPair(ctx, 1, [-1]).map((t) => ({ shape: t.shape, dtype: t.dtype }))),
  ...defineOps({ FFT2: {}, IFFT2: {} }, (ctx) =>
    complexPair(ctx, 2, [-2, -1]).map((t) => ({ shape: t.shape, dtype: t.dtype })),
  ),
  defineOp("RFFT", { fft_length: null }, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    if (x.shape.length < 1) ctx.fail(`Input should have rank >= 1. Received: input.shape = ${pyTuple(x.shape)}`);
    const n = intOpt(ctx, "fft_length", true);
    const last =
      n !== null ? Math.floor(n / 2) + 1 : x.shape.at(-1) === null ? null : Math.floor(x.shape.at(-1)! / 2) + 1;
    return pair([...x.shape.slice(0, -1), last], x.dtype);
  }),
  defineOp("IRFFT", { fft_length: null }, (ctx) => {
    const [re] = complexPair(ctx, 1, []);
    const n = intOpt(ctx, "fft_length", true);
    const last = n !== null ? n : re.shape.at(-1) === null ? null : 2 * (re.shape.at(-1)! - 1);
    return { shape: [...re.shape.slice(0, -1), last], dtype: re.dtype };
  }),
  defineOp("STFT", { window: "hann", center: true }, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    const fft = intOpt(ctx, "fft_length");
    const stride = intOpt(ctx, "sequence_stride");
    const padded = opt(ctx, "center") === false ? 0 : Math.floor(fft / 2) * 2;
    const n = x.shape.at(-1);
    const frames = n === null || n === undefined ? null : 1 + Math.floor((n + padded - fft) / stride);
    return pair([...x.shape.slice(0, -1), frames, Math.floor(fft / 2) + 1], x.dtype);
  }),
  defineOp("ISTFT", { length: null, window: "hann", center: true }, (ctx) => {
    const [re] = complexPair(ctx, 2, []);
    const fft = intOpt(ctx, "fft_length");
    const length = intOpt(ctx, "length", true);
    const frames = re.shape.at(-2)!;
    let size: Dim = length;
    if (frames !== null && length === null) {
      size =
        (frames - 1) * intOpt(ctx, "sequence_stride") +
        fft -
        (opt(ctx, "center") === false ? 0 : Math.floor(fft / 2) * 2);
    }
    return { shape: [...re.shape.slice(0, -2), size], dtype: re.dtype };
  }),
  /** `extract_sequences(x, sequence_length, sequence_stride)`: frames of the last axis. */
  defineOp("ExtractSequences", {}, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    if (x.shape.length < 1) ctx.fail(`Input should have rank >= 1. Received: input.shape = ${pyTuple(x.shape)}`);
    const len = intOpt(ctx, "sequence_length");
    const n = x.shape.at(-1)!;
    const frames = n === null ? null : 1 + Math.floor((n - len) / intOpt(ctx, "sequence_stride"));
    return { shape: [...x.shape.slice(0, -1), frames, len], dtype: x.dtype };
  }),
];

export const mathKinds: LayerKind[] = [...unaryKinds, ...reduceKinds, ...fftKinds];
