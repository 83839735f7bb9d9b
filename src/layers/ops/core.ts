import type { LayerKind } from "../../ir/kind.js";
import type { Dim } from "../../ir/shape.js";
import { arg, defineOp, dtypeOpt, isSpec, opt, pyRepr, pyTuple, tensorAt } from "./define-op.js";
import { coreUnstack } from "./numpy-join.js";

/*
 * Operations of keras/src/ops/core.py that a functional model can record: `keras.ops.cast(x, dtype)`,
 * `convert_to_tensor`, `stop_gradient`, `unstack`, `slice`, `slice_update`, `scatter`, `scatter_update`.
 */

const toShape = (v: unknown): Dim[] => (Array.isArray(v) ? v.map((d) => (typeof d === "number" ? d : null)) : []);

export const coreKinds: LayerKind[] = [
  /** `cast(x, dtype)` and `saturate_cast(x, dtype)`: same shape, the given dtype. */
  defineOp("Cast", {}, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    if (opt(ctx, "dtype") === null || opt(ctx, "dtype") === undefined)
      ctx.fail("`cast` needs a dtype. Received: dtype=None");
    return { shape: x.shape, dtype: dtypeOpt(ctx, x.dtype) };
  }),
  defineOp("SaturateCast", {}, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    return { shape: x.shape, dtype: dtypeOpt(ctx, x.dtype) };
  }),
  defineOp("ConvertToTensor", { dtype: null, sparse: null, ragged: null }, (ctx) => {
    const x = tensorAt(ctx, 0, "x");
    return { shape: x.shape, dtype: dtypeOpt(ctx, x.dtype) };
  }),
  defineOp("StopGradient", {}, (ctx) => {
    const x = tensorAt(ctx, 0, "variable");
    return { shape: x.shape, dtype: x.dtype };
  }),
  coreUnstack,
  /** `slice(inputs, start_indices, shape)`: -1 in `shape` takes the rest of the axis. */
  defineOp("Slice", {}, (ctx) => {
    const x = tensorAt(ctx, 0, "inputs");
    const shape = toShape(opt(ctx, "shape"));
    const start = arg(ctx, 1, "start_indices");
    if (shape.length !== x.shape.length) {
      ctx.fail(
        `The number of dimensions in \`inputs\` must match the number of dimensions in \`shape\`. Received inputs.shape=${pyTuple(x.shape)} and shape=${pyRepr(opt(ctx, "shape"))}`,
      );
    }
    if (Array.isArray(start) && start.length !== x.shape.length) {
      ctx.fail(
        `The number of dimensions in \`start_indices\` must match the number of dimensions in \`inputs\`. Received start_indices=${pyRepr(start)} and inputs.shape=${pyTuple(x.shape)}`,
      );
    }
    const out = shape.map((d, i): Dim => {
      if (d !== -1) return d;
      const s = Array.isArray(start) ? start[i] : undefined;
      return isSpec(start) || x.shape[i] === null || typeof s !== "number" ? null : x.shape[i]! - s;
    });
    return { shape: out, dtype: x.dtype };
  }),
  defineOp("SliceUpdate", {}, (ctx) => {
    const x = tensorAt(ctx, 0, "inputs");
    return { shape: x.shape, dtype: x.dtype };
  }),
  defineOp("ScatterUpdate", { reduction: null }, (ctx) => {
    const x = tensorAt(ctx, 0, "inputs");
    return { shape: x.shape, dtype: x.dtype };
  }),
  /** `scatter(indices, values, shape)`: a tensor of `shape` with the values' dtype. */
  defineOp("Scatter", {}, (ctx) => ({ shape: toShape(opt(ctx, "shape")), dtype: tensorAt(ctx, 1, "values").dtype })),
];
