import type { TensorSpec } from "../../ir/graph.js";
import type { CallContext, LayerKind } from "../../ir/kind.js";
import { boolOpt, defineOp, defineOps, opt, pyTuple, reduceShape, tensorAt } from "./define-op.js";

/*
 * keras/src/ops/linalg.py on (batches of) matrices: the last two axes are the matrix; most ops keep the
 * input's dtype.
 */

/** `_assert_2d` and, for `square`, `_assert_square` (None equals only None, as in Python). */
function matrix(ctx: CallContext, name: string, square: boolean): TensorSpec {
  const x = tensorAt(ctx, 0, name);
  if (x.shape.length < 2) ctx.fail(`Expected input to have rank >= 2. Received input with shape ${pyTuple(x.shape)}.`);
  if (square && x.shape.at(-2) !== x.shape.at(-1))
    ctx.fail(`Expected a square matrix. Received non-square input with shape ${pyTuple(x.shape)}`);
  return x;
}

const squareKinds = [
  ...defineOps({ Cholesky: { upper: false }, CholeskyInverse: { upper: false }, Inv: {}, MatrixPower: {} }, (ctx) => {
    const x = matrix(ctx, "x", true);
    return { shape: x.shape, dtype: x.dtype };
  }),
  defineOp("Det", {}, (ctx) => {
    const x = matrix(ctx, "x", true);
    return { shape: x.shape.slice(0, -2), dtype: x.dtype };
  }),
  ...defineOps({ Eig: {}, Eigh: {} }, (ctx) => {
    const x = matrix(ctx, "x", true);
    return [
      { shape: x.shape.slice(0, -1), dtype: x.dtype },
      { shape: x.shape, dtype: x.dtype },
    ];
  }),
  /** `solve(a, b)`, `solve_triangular(a, b, lower=False)`: the result has b's shape. */
  ...defineOps({ Solve: {}, SolveTriangular: { lower: false } }, (ctx) => {
    const a = matrix(ctx, "a", true);
    const b = tensorAt(ctx, 1, "b");
    if (b.shape.length < 1) ctx.fail(`Expected input to have rank >= 1. Received scalar input.`);
    const [ia, ib] =
      a.shape.length === b.shape.length ? [-2, -2] : a.shape.length === b.shape.length - 1 ? [-1, -1] : [0, 0];
    if (ia !== 0 && a.shape.at(ia) !== b.shape.at(ib)) {
      ctx.fail(
        `Incompatible shapes between \`a\` and \`b\`. Expected \`a.shape[${ia}] == b.shape[${ib}]\`. Received: a.shape=${pyTuple(a.shape)}, b.shape=${pyTuple(b.shape)}`,
      );
    }
    return { shape: b.shape, dtype: b.dtype };
  }),
];

const otherKinds = [
  defineOp("Pinv", { rcond: null }, (ctx) => {
    const x = matrix(ctx, "x", false);
    return { shape: [...x.shape.slice(0, -2), x.shape.at(-1)!, x.shape.at(-2)!], dtype: x.dtype };
  }),
  /** `svd(x, full_matrices=True, compute_uv=True)`: u, s, v (or s alone). */
  defineOp("SVD", { full_matrices: true, compute_uv: true }, (ctx) => {
    const x = matrix(ctx, "x", false);
    const [m, n] = [x.shape.at(-2)!, x.shape.at(-1)!];
    const k = m === null ? n : n === null ? m : Math.min(m, n);
    const batch = x.shape.slice(0, -2);
    const s = { shape: [...batch, k], dtype: x.dtype };
    if (!boolOpt(ctx, "compute_uv")) return s;
    const full = boolOpt(ctx, "full_matrices");
    return [
      { shape: [...batch, m, full ? m : k], dtype: x.dtype },
      s,
      { shape: [...batch, full ? n : k, n], dtype: x.dtype },
    ];
  }),
  /** `qr(x, mode="reduced")`: q and r; the last two dims must be known. */
  defineOp("Qr", { mode: "reduced" }, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    if (x.shape.length < 2) ctx.fail(`Input should have rank >= 2. Received: input.shape = ${pyTuple(x.shape)}`);
    const [m, n] = [x.shape.at(-2)!, x.shape.at(-1)!];
    if (m === null || n === null)
      ctx.fail(`Input should have its last 2 dimensions fully-defined. Received: input.shape = ${pyTuple(x.shape)}`);
    const base = x.shape.slice(0, -2);
    const k = Math.min(m, n);
    const reduced = opt(ctx, "mode") !== "complete";
    return [
      { shape: [...base, m, reduced ? k : m], dtype: x.dtype },
      { shape: [...base, reduced ? k : m, n], dtype: x.dtype },
    ];
  }),
  /** `norm(x, ord=None, axis=None, keepdims=False)`: a reduction; integers give float32. */
  defineOp("Norm", { ord: null, axis: null, keepdims: false }, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    const d = x.dtype.includes("int") || x.dtype === "bool" ? "float32" : x.dtype;
    return { shape: reduceShape(ctx, x.shape, opt(ctx, "axis"), boolOpt(ctx, "keepdims")), dtype: d };
  }),
];

const factorKinds = [
  defineOp("LuFactor", {}, (ctx) => {
    const x = matrix(ctx, "x", false);
    const [m, n] = [x.shape.at(-2)!, x.shape.at(-1)!];
    const batch = x.shape.slice(0, -2);
    return [
      { shape: [...batch, m, n], dtype: x.dtype },
      { shape: [...batch, m === null ? n : n === null ? m : Math.min(m, n)], dtype: x.dtype },
    ];
  }),
  defineOp("MatrixRank", { tol: null }, (ctx) => ({
    shape: matrix(ctx, "x", false).shape.slice(0, -2),
    dtype: "int32",
  })),
  /** `lstsq(a, b, rcond=None)`: a is (m, n), b (m,) or (m, k); the solution (n,) or (n, k). */
  defineOp("Lstsq", { rcond: null }, (ctx) => {
    const [a, b] = [tensorAt(ctx, 0, "a"), tensorAt(ctx, 1, "b")];
    if (a.shape.length !== 2) ctx.fail(`Expected a to have rank 2. Received: a.shape=${pyTuple(a.shape)}`);
    if (b.shape.length !== 1 && b.shape.length !== 2)
      ctx.fail(`Expected b to have rank 1 or 2. Received: b.shape=${pyTuple(b.shape)}`);
    if (b.shape[0] !== a.shape[0]) {
      ctx.fail(
        `Expected b.shape[0] to be equal to a.shape[0]. Received: a.shape=${pyTuple(a.shape)}, b.shape=${pyTuple(b.shape)}`,
      );
    }
    return { shape: b.shape.length === 2 ? [a.shape[1]!, b.shape[1]!] : [a.shape[1]!], dtype: a.dtype };
  }),
];

export const linalgKinds: LayerKind[] = [...squareKinds, ...otherKinds, ...factorKinds];
