import type { DType, TensorSpec } from "../../ir/graph.js";
import type { CallContext, LayerKind } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { PY_FLOAT, accumulateType, floatResult, isFloat, resultType } from "./dtypes.js";
import {
  arg,
  axisList,
  boolOpt,
  canonicalizeAxis,
  defineOp,
  defineOps,
  dtypeOpt,
  isSpec,
  opt,
  prodOrNull,
  pyList,
  reduceShape,
  shapeEqual,
  tensorAt,
} from "./define-op.js";

/*
 * Reductions and scans of keras/src/ops/numpy.py. `axis` and `keepdims` are constructor arguments (in
 * the op's config); `reduce_shape` drops the reduced axes (all of them for axis=None) or keeps them as 1.
 */

const reduce = (table: Record<string, Record<string, unknown>>, rule: (d: DType, ctx: CallContext) => DType) =>
  defineOps(table, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    const keepdims = ctx.config.has("keepdims") ? boolOpt(ctx, "keepdims") : false;
    return { shape: reduceShape(ctx, x.shape, opt(ctx, "axis"), keepdims), dtype: rule(x.dtype, ctx) };
  });

const AXIS_KEEPDIMS = { axis: null, keepdims: false };
const same = (d: DType) => d;
/** Prod/Nanprod/Trace: bool, int8, int16 -> int32; uint8, uint16 -> uint32, which torch has not (int32). */
const prodType = (d: DType) => (["bool", "int8", "int16", "uint8", "uint16", "uint32"].includes(d) ? "int32" : d);

/** `q` of quantile/percentile: a tensor's first dim or a list's length goes in front. */
function withQ(ctx: CallContext, shape: Shape, listAlways: boolean): Shape {
  const q = arg(ctx, 1, "q");
  if (isSpec(q)) return q.shape.length > 0 ? [q.shape[0]!, ...shape] : shape;
  if (Array.isArray(q) && (listAlways || q.length > 1)) return [q.length, ...shape];
  return shape;
}

const quantile = (table: Record<string, Record<string, unknown>>, listAlways: boolean, rule: (d: DType) => DType) =>
  defineOps(table, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    const shape = reduceShape(ctx, x.shape, opt(ctx, "axis"), boolOpt(ctx, "keepdims"));
    return { shape: withQ(ctx, shape, listAlways), dtype: rule(x.dtype) };
  });

/** Cumsum & co., Sort, Argsort: axis=None flattens. */
function flattenOrKeep(ctx: CallContext, x: TensorSpec): Shape {
  const axis = opt(ctx, "axis");
  if (axis === null || axis === undefined) return [prodOrNull(x.shape)];
  canonicalizeAxis(ctx, axis, x.shape.length);
  return x.shape;
}

const AVERAGE = defineOp("Average", { axis: null }, (ctx) => {
  const x = tensorAt(ctx, 0, "x");
  const w = arg(ctx, 1, "weights");
  const weights = isSpec(w) ? w : null;
  const dtype = resultType(x.dtype, PY_FLOAT, ...(weights ? [weights.dtype] : []));
  const axis = opt(ctx, "axis");
  const axes = axisList(ctx, axis);
  const match = !weights || shapeEqual(x.shape, weights.shape);
  if (axes === null) {
    if (!match) {
      ctx.fail(
        `\`weights\` must have the same shape as \`x\` when \`axis=None\`, but received \`weights.shape=${pyList(weights!.shape)}\` and \`x.shape=${pyList(x.shape)}\`.`,
      );
    }
    return { shape: [], dtype };
  }
  const onAxis =
    axes.length === 1 &&
    !!weights &&
    shapeEqual([x.shape[canonicalizeAxis(ctx, axes[0], x.shape.length)] ?? null], weights.shape);
  if (!match && !onAxis) {
    ctx.fail(
      `\`weights\` must have the same size as \`x\` at axis=${axes.length === 1 ? axes[0] : pyList(axes)} but received \`weights.shape=${pyList(weights!.shape)}\`.`,
    );
  }
  return { shape: reduceShape(ctx, x.shape, axis, false), dtype };
});

export const numpyReduceKinds: LayerKind[] = [
  ...reduce({ Mean: AXIS_KEEPDIMS }, (d) => (d.includes("int") || d === "bool" ? resultType(d, "float32") : d)),
  ...reduce({ Sum: AXIS_KEEPDIMS, Nansum: AXIS_KEEPDIMS }, accumulateType),
  ...reduce({ Prod: { ...AXIS_KEEPDIMS, dtype: null } }, (d, ctx) => prodType(dtypeOpt(ctx, d))),
  ...reduce({ Nanprod: AXIS_KEEPDIMS }, prodType),
  ...reduce(
    {
      Max: { ...AXIS_KEEPDIMS, initial: null },
      Min: { ...AXIS_KEEPDIMS, initial: null },
      Amax: AXIS_KEEPDIMS,
      Amin: AXIS_KEEPDIMS,
      Ptp: AXIS_KEEPDIMS,
    },
    same,
  ),
  ...reduce({ Nanmax: AXIS_KEEPDIMS, Nanmin: AXIS_KEEPDIMS }, (d) => {
    const r = resultType(d);
    return r === "uint32" ? "int32" : r;
  }),
  ...reduce({ Any: AXIS_KEEPDIMS, All: AXIS_KEEPDIMS }, () => "bool"),
  ...reduce(
    { Argmax: AXIS_KEEPDIMS, Argmin: AXIS_KEEPDIMS, Nanargmax: AXIS_KEEPDIMS, Nanargmin: AXIS_KEEPDIMS },
    () => "int32",
  ),
  ...reduce({ CountNonzero: { axis: null } }, () => "int32"),
  ...reduce({ Std: AXIS_KEEPDIMS }, (d) => (d.includes("int") || d === "bool" ? "float32" : d)),
  ...reduce(
    {
      Var: AXIS_KEEPDIMS,
      Nanstd: AXIS_KEEPDIMS,
      Nanvar: AXIS_KEEPDIMS,
      Nanmean: AXIS_KEEPDIMS,
      Nanmedian: AXIS_KEEPDIMS,
    },
    (d) => resultType(d, PY_FLOAT),
  ),
  ...reduce({ Median: AXIS_KEEPDIMS }, floatResult),
  ...quantile({ Percentile: { axis: null, method: "linear", keepdims: false } }, true, (d) =>
    isFloat(d) ? d : "float32",
  ),
  ...quantile({ Nanpercentile: { axis: null, method: "linear", keepdims: false } }, true, (d) =>
    d.includes("int") ? "float32" : resultType(d, PY_FLOAT),
  ),
  ...quantile(
    {
      Quantile: { axis: null, method: "linear", keepdims: false },
      Nanquantile: { axis: null, method: "linear", keepdims: false },
    },
    false,
    floatResult,
  ),
  AVERAGE,
  ...defineOps(
    {
      Cumsum: { axis: null, dtype: null },
      Cumprod: { axis: null, dtype: null },
      Nancumsum: { axis: null, dtype: null },
      Nancumprod: { axis: null, dtype: null },
    },
    (ctx) => {
      const x = tensorAt(ctx, 0, "x");
      const dtype = dtypeOpt(ctx, x.dtype);
      return { shape: flattenOrKeep(ctx, x), dtype: dtype === "bool" ? "int32" : dtype };
    },
  ),
  defineOp("Sort", { axis: -1 }, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    return { shape: flattenOrKeep(ctx, x), dtype: x.dtype };
  }),
  defineOp("Argsort", { axis: -1 }, (ctx) => ({ shape: flattenOrKeep(ctx, tensorAt(ctx, 0, "x")), dtype: "int32" })),
  defineOp("Argpartition", { axis: -1 }, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    const axis = opt(ctx, "axis");
    return { shape: axis === null ? [prodOrNull(x.shape)] : x.shape, dtype: "int32" };
  }),
  /** `diff(a, n=1, axis=-1)`: the axis shrinks by n (not below 0). */
  defineOp("Diff", { n: 1, axis: -1 }, (ctx) => {
    const a = tensorAt(ctx, 0, "a");
    const axis = canonicalizeAxis(ctx, opt(ctx, "axis"), a.shape.length);
    const n = opt(ctx, "n") as number;
    return { shape: a.shape.map((d, i) => (i === axis && d !== null ? Math.max(d - n, 0) : d)), dtype: a.dtype };
  }),
  /** `trace(x, offset=0, axis1=0, axis2=1)`: drops both axes. */
  defineOp("Trace", { offset: 0, axis1: 0, axis2: 1 }, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    const a1 = canonicalizeAxis(ctx, opt(ctx, "axis1"), x.shape.length);
    const a2 = canonicalizeAxis(ctx, opt(ctx, "axis2"), x.shape.length);
    if (a1 === a2)
      ctx.fail(
        `\`axis1\` and \`axis2\` must be different. Received: axis1=${opt(ctx, "axis1")}, axis2=${opt(ctx, "axis2")}`,
      );
    return { shape: x.shape.filter((_, i) => i !== a1 && i !== a2), dtype: prodType(x.dtype) };
  }),
  /** `trapezoid(y, x=None, dx=1.0, axis=-1)`: drops `axis`. */
  defineOp("Trapezoid", { x: null, dx: 1.0, axis: -1 }, (ctx) => {
    const y = tensorAt(ctx, 0, "y");
    const axis = opt(ctx, "axis");
    const n = y.shape.length;
    const shape = axis !== null && n > 0 ? y.shape.filter((_, i) => i !== (((axis as number) % n) + n) % n) : y.shape;
    return { shape, dtype: resultType(y.dtype, PY_FLOAT) };
  }),
];
