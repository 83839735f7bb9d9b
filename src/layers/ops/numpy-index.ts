import type { LayerKind } from "../../ir/kind.js";
import type { Dim, Shape } from "../../ir/shape.js";
import {
  arg,
  broadcastShapes,
  canonicalizeAxis,
  defineOp,
  intOpt,
  isSpec,
  opt,
  prodOrNull,
  pyList,
  pyTuple,
  tensorAt,
} from "./define-op.js";

/*
 * Indexing and diagonals of keras/src/ops/numpy.py: `take`, `take_along_axis`, `diag`, `diagflat`,
 * `diagonal`. They keep the input's dtype.
 */

/** `take(x, indices, axis=None)`: axis=None gives the indices' shape. */
const Take = defineOp("Take", { axis: null }, (ctx) => {
  const x = tensorAt(ctx, 0, "x");
  const idx = arg(ctx, 1, "indices");
  const ishape: Shape = isSpec(idx) ? idx.shape : npShape(idx);
  const axis = opt(ctx, "axis");
  if (axis === null || axis === undefined) return { shape: ishape, dtype: x.dtype };
  const a = canonicalizeAxis(ctx, axis, x.shape.length);
  return { shape: [...x.shape.slice(0, a), ...ishape, ...x.shape.slice(a + 1)], dtype: x.dtype };
});

/** `np.array(v).shape` of a nested Python list. */
function npShape(v: unknown): Shape {
  const shape: Shape = [];
  for (let x = v; Array.isArray(x); x = x[0]) shape.push(x.length);
  return shape;
}

/** `take_along_axis(x, indices, axis=None)`. */
const TakeAlongAxis = defineOp("TakeAlongAxis", { axis: null }, (ctx) => {
  const x = tensorAt(ctx, 0, "x");
  const indices = tensorAt(ctx, 1, "indices");
  const axis = opt(ctx, "axis");
  const input: Shape = axis === null || axis === undefined ? [prodOrNull(x.shape)] : [...x.shape];
  if (input.length !== indices.shape.length) {
    ctx.fail(
      `\`x\` and \`indices\` must have the same number of dimensions, but receive shape ${pyList(input)} and ${pyList(indices.shape)}.`,
    );
  }
  const a = axis === null || axis === undefined ? 0 : canonicalizeAxis(ctx, axis, input.length);
  input[a] = indices.shape[a]!;
  return { shape: broadcastShapes(ctx, input, indices.shape), dtype: x.dtype };
});

const diagLength = (rows: Dim, cols: Dim, k: number): Dim =>
  rows === null || cols === null ? null : Math.max(0, Math.min(k > 0 ? cols - k : rows + k, Math.min(rows, cols)));

const Diag = defineOp("Diag", { k: 0 }, (ctx) => {
  const x = tensorAt(ctx, 0, "x");
  const k = intOpt(ctx, "k");
  if (x.shape.length === 1) {
    const n = x.shape[0]!;
    return { shape: n === null ? [null, null] : [n + Math.abs(k), n + Math.abs(k)], dtype: x.dtype };
  }
  if (x.shape.length === 2) return { shape: [diagLength(x.shape[0]!, x.shape[1]!, k)], dtype: x.dtype };
  return ctx.fail(`\`x\` must be 1-D or 2-D, but received shape ${pyTuple(x.shape)}.`);
});

const Diagflat = defineOp("Diagflat", { k: 0 }, (ctx) => {
  const x = tensorAt(ctx, 0, "x");
  const n = prodOrNull(x.shape);
  const k = Math.abs(intOpt(ctx, "k"));
  return { shape: n === null ? [null, null] : [n + k, n + k], dtype: x.dtype };
});

const Diagonal = defineOp("Diagonal", { offset: 0, axis1: 0, axis2: 1 }, (ctx) => {
  const x = tensorAt(ctx, 0, "x");
  if (x.shape.length < 2)
    ctx.fail(`\`diagonal\` requires an array of at least two dimensions, but \`x\` is of shape ${pyTuple(x.shape)}.`);
  const a = canonicalizeAxis(ctx, opt(ctx, "axis1"), x.shape.length);
  const b = canonicalizeAxis(ctx, opt(ctx, "axis2"), x.shape.length);
  const rest = x.shape.filter((_, i) => i !== a && i !== b);
  return { shape: [...rest, diagLength(x.shape[a]!, x.shape[b]!, intOpt(ctx, "offset"))], dtype: x.dtype };
});

export const numpyIndexKinds: LayerKind[] = [Take, TakeAlongAxis, Diag, Diagflat, Diagonal];
