import type { TensorSpec } from "../../ir/graph.js";
import type { LayerKind } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { PY_FLOAT, resultType } from "./dtypes.js";
import {
  arg,
  broadcastShapes,
  canonicalizeAxis,
  defineOp,
  defineOps,
  dtypeOpt,
  intOpt,
  isSpec,
  operand,
  operandAt,
  opt,
  pyTuple,
  tensorAt,
} from "./define-op.js";

/*
 * The rest of keras/src/ops/numpy.py that can take a symbolic tensor: `*_like` constructors, sizes,
 * searching and counting, sequences from tensor endpoints.
 */

const toShape = (v: unknown): Shape =>
  typeof v === "number" ? [v] : Array.isArray(v) ? v.map((d) => (typeof d === "number" ? d : null)) : [];

const likeKinds = defineOps(
  {
    OnesLike: { dtype: null },
    ZerosLike: { dtype: null },
    FullLike: { dtype: null },
    EmptyLike: { dtype: null },
    Array: { dtype: null },
  },
  (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    return { shape: x.shape, dtype: dtypeOpt(ctx, x.dtype) };
  },
);

/** `full(shape, fill_value, dtype=None)` with a symbolic fill value. */
const Full = defineOp("Full", { dtype: null }, (ctx) => ({
  shape: toShape(opt(ctx, "shape")),
  dtype: dtypeOpt(ctx, "float32"),
}));

const ITEMSIZE: Record<string, number> = {
  bool: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  float16: 2,
  bfloat16: 2,
  int32: 4,
  uint32: 4,
  float32: 4,
  int64: 8,
  uint64: 8,
  float64: 8,
  complex64: 8,
  complex128: 16,
};

/** `view(x, dtype=None)`: reinterprets the bytes; the last axis scales by the item sizes. */
const View = defineOp("View", { dtype: null }, (ctx) => {
  const x = tensorAt(ctx, 0, "x");
  const dtype = dtypeOpt(ctx, x.dtype);
  const [from, to] = [ITEMSIZE[x.dtype] ?? 4, ITEMSIZE[dtype] ?? 4];
  if (from === to) return { shape: x.shape, dtype };
  if (x.shape.length === 0) ctx.fail("Cannot view a scalar as a different dtype if item sizes are different.");
  const last = x.shape.at(-1)!;
  if (last !== null && (last * from) % to !== 0) {
    ctx.fail(
      `Cannot view array of shape ${pyTuple(x.shape)} and dtype ${x.dtype} as dtype ${dtype} because the total number of bytes is not divisible by the new itemsize.`,
    );
  }
  return { shape: [...x.shape.slice(0, -1), last === null ? null : (last * from) / to], dtype };
});

const sizeKinds = [
  defineOp("Size", {}, () => ({ shape: [], dtype: "int32" })),
  // `KerasTensor([len(x.shape)])`: Keras's own spec, a float32 vector of length ndim.
  defineOp("Ndim", {}, (ctx) => ({ shape: [tensorAt(ctx, 0, "x").shape.length], dtype: "float32" })),
  defineOp("Nonzero", {}, (ctx) => tensorAt(ctx, 0, "x").shape.map(() => ({ shape: [null], dtype: "int32" }))),
  defineOp("AllClose", { rtol: 1e-5, atol: 1e-8, equal_nan: false }, () => ({ shape: [], dtype: "bool" })),
  defineOp("IsIn", { assume_unique: false, invert: false }, (ctx) => ({
    shape: operandAt(ctx, 0, "x1").shape,
    dtype: "bool",
  })),
  defineOp("Digitize", {}, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    const bins = arg(ctx, 1, "bins");
    if (isSpec(bins) && bins.shape.length > 1)
      ctx.fail(`\`bins\` must be a 1D array. Received: bins.shape=${pyTuple(bins.shape)}`);
    return { shape: x.shape, dtype: "int32" };
  }),
  defineOp("SearchSorted", { side: "left" }, (ctx) => {
    const seq = tensorAt(ctx, 0, "sorted_sequence");
    const values = operandAt(ctx, 1, "values");
    if (seq.shape.length !== 1)
      ctx.fail(
        "searchsorted only supports 1-D sorted sequences. Usekeras.ops.vectorized_map to extend to N-D sequences.",
      );
    const n = seq.shape[0]!;
    return { shape: values.shape, dtype: n !== null && n <= 2 ** 31 - 1 ? "int32" : "int64" };
  }),
  /** `bincount(x, weights=None, minlength=0, sparse=False)`: the last axis becomes unknown. */
  defineOp("Bincount", { weights: null, minlength: 0, sparse: false }, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    const w = opt(ctx, "weights");
    const flat = Array.isArray(w) ? (w.flat(Infinity) as unknown[]) : [];
    const wDtype = w === null || w === undefined ? null : flat.every((v) => Number.isInteger(v)) ? "int32" : "float32";
    return { shape: [...x.shape.slice(0, -1), null], dtype: wDtype === null ? "int32" : resultType(x.dtype, wDtype) };
  }),
  defineOp("Histogram", { bins: 10, range: null }, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    const bins = intOpt(ctx, "bins");
    return [
      { shape: [bins], dtype: x.dtype },
      { shape: [bins + 1], dtype: x.dtype },
    ];
  }),
  defineOp("Slogdet", {}, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    return [
      { shape: [], dtype: x.dtype },
      { shape: x.shape.slice(0, -2), dtype: x.dtype },
    ];
  }),
  /** `unravel_index(indices, shape)`: one output per dim of `shape`. */
  defineOp("UnravelIndex", {}, (ctx) => {
    const shape = toShape(opt(ctx, "shape"));
    const idx = operandAt(ctx, 0, "indices");
    const out: Shape = shape.includes(null) ? [null] : idx.dtype.startsWith("py:") ? [1] : idx.shape;
    return shape.map(() => ({ shape: out, dtype: idx.dtype.startsWith("py:") ? "int32" : idx.dtype }));
  }),
  /** `vander(x, N=None, increasing=False)`: a trailing axis of N (x's length by default). */
  defineOp("Vander", { N: null, increasing: false }, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    const n = (opt(ctx, "N") as number | null) ?? x.shape[0] ?? null;
    return { shape: [...x.shape, n], dtype: x.dtype };
  }),
  /** `unique(x, ...)`: an unknown number of values unless `size` is given, then the optional index outputs. */
  defineOp(
    "Unique",
    {
      sorted: true,
      return_index: false,
      return_inverse: false,
      return_counts: false,
      axis: null,
      size: null,
      fill_value: null,
    },
    (ctx) => {
      const x = tensorAt(ctx, 0, "x");
      const u = opt(ctx, "size") as number | null;
      const axis = opt(ctx, "axis");
      const a = axis === null || axis === undefined ? null : canonicalizeAxis(ctx, axis, x.shape.length);
      const outs: TensorSpec[] = [
        { shape: a === null ? [u] : x.shape.map((d, i) => (i === a ? u : d)), dtype: x.dtype },
      ];
      if (opt(ctx, "return_index") === true) outs.push({ shape: [u], dtype: "int32" });
      if (opt(ctx, "return_inverse") === true)
        outs.push({ shape: a === null ? x.shape : [x.shape[a]!], dtype: "int32" });
      if (opt(ctx, "return_counts") === true) outs.push({ shape: [u], dtype: "int32" });
      return outs;
    },
  ),
  /** `select(condlist, choicelist, default=0)`: everything broadcasts; choices and default promote. */
  defineOp("Select", {}, (ctx) => {
    const conds = (arg(ctx, 0, "condlist") as unknown[] | undefined) ?? [];
    const choices = (arg(ctx, 1, "choicelist") as unknown[] | undefined) ?? [];
    const dflt = operand(ctx, arg(ctx, 2, "default") ?? 0, "default");
    const all = [...conds, ...choices].map((v) => operand(ctx, v, "condlist"));
    let shape: Shape = [];
    for (const x of [...all, dflt]) shape = broadcastShapes(ctx, shape, x.shape);
    return { shape, dtype: resultType(...choices.map((c) => operand(ctx, c, "choicelist").dtype), dflt.dtype) };
  }),
];

/** `linspace/logspace/geomspace(start, stop, num=50, ..., axis=0)` with tensor endpoints. */
const spaceKinds = defineOps(
  {
    Linspace: { num: 50, endpoint: true, retstep: false, dtype: null, axis: 0 },
    Logspace: { num: 50, endpoint: true, base: 10, dtype: null, axis: 0 },
    Geomspace: { num: 50, endpoint: true, dtype: null, axis: 0 },
  },
  (ctx) => {
    const start = operandAt(ctx, 0, "start");
    const stop = operandAt(ctx, 1, "stop");
    const shape = broadcastShapes(ctx, start.shape, stop.shape);
    const axis = canonicalizeAxis(ctx, opt(ctx, "axis"), shape.length + 1);
    shape.splice(axis, 0, intOpt(ctx, "num"));
    const base = dtypeOpt(ctx, start.dtype === "py:int" ? "int32" : start.dtype === PY_FLOAT ? "float32" : start.dtype);
    const spec = { shape, dtype: resultType(base, PY_FLOAT) };
    // `retstep=True` returns `(samples, None)`.
    return opt(ctx, "retstep") === true ? [spec] : spec;
  },
);

export const numpyMiscKinds: LayerKind[] = [...likeKinds, Full, View, ...sizeKinds, ...spaceKinds];
