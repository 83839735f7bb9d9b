import { type Const, float32Of, numbers, sizeOf } from "../const.js";
import { broadcastTo } from "../fold/broadcast.js";
import { transposeConst } from "../fold/layout.js";
import { type LayerSpec, type MapContext, type Mapper, type WeightValues, operation } from "./context.js";

/** The activation a fusion pass folded into this node (`kg_activation`), "linear" if none. */
export function fusedActivation(ctx: MapContext): string {
  const a = ctx.node.attrs.kg_activation;
  return typeof a === "string" ? a : "linear";
}

function weightValues(c: Const, scale = 1): WeightValues {
  const data = float32Of(c);
  return { shape: [...c.dims], data: scale === 1 ? data : data.map((v) => v * scale) };
}

/** A bias operand broadcast to (units,); a bias that varies over the batch axis has no Keras form. */
function biasVector(ctx: MapContext, c: Const, units: number, scale = 1): WeightValues {
  const dims = c.dims.length >= 2 && c.dims.slice(0, -1).every((d) => d === 1) ? [c.dims.at(-1)!] : c.dims;
  if (dims.length > 1) ctx.unsupported(`adds a bias of shape [${c.dims.join(", ")}], which varies over the batch axis`);
  const vec = broadcastTo({ ...c, dims }, [units]);
  return weightValues({ ...vec, dims: [units] }, scale);
}

function denseSpec(ctx: MapContext, kernel: WeightValues, bias: WeightValues | null): LayerSpec {
  const units = kernel.shape[1]!;
  return {
    className: "Dense",
    config: { units, activation: fusedActivation(ctx), use_bias: bias !== null },
    inputs: [ctx.input(0)],
    outputs: [ctx.node.outputs[0]!],
    weights: bias ? { kernel, bias } : { kernel },
  };
}

/** `Gemm(A, B, C)` = alpha·A'·B' + beta·C with A the batch: Dense(units) with kernel alpha·B'. */
const gemm: Mapper = (ctx) => {
  if (ctx.int("transA", 0) === 1)
    ctx.unsupported("transposes its input (transA=1), which puts the batch axis inside the product");
  if (ctx.graph.isConstant(ctx.input(0)))
    ctx.unsupported(
      "multiplies a constant by a run-time tensor on the right; Keras's Dense takes the input on the left",
    );
  const b = ctx.weight(1, "weight matrix B");
  const alpha = ctx.float("alpha", 1);
  const beta = ctx.float("beta", 1);
  const kernelConst = ctx.int("transB", 0) === 1 ? transposeConst(b) : b;
  const kernel = weightValues(kernelConst, alpha);
  const c = ctx.input(2) ? ctx.weight(2, "bias C") : undefined;
  const bias = c && beta !== 0 ? biasVector(ctx, c, kernel.shape[1]!, beta) : null;
  return [denseSpec(ctx, kernel, bias)];
};

/** The importer's fused `MatMul + Add` (kg.Dense: x, W, b?). */
const fusedDense: Mapper = (ctx) => {
  const w = ctx.weight(1, "kernel");
  const kernel = weightValues(w);
  const b = ctx.input(2) ? ctx.weight(2, "bias") : undefined;
  return [denseSpec(ctx, kernel, b ? biasVector(ctx, b, kernel.shape[1]!) : null)];
};

/**
 * `MatMul`: x·W (W constant, 2-D) is a Dense without bias on any rank; W·x (x of rank 3) an
 * EinsumDense; two run-time operands of rank 3 a Dot (a batched matrix product), of one higher rank
 * `keras.ops.matmul`.
 */
const matmul: Mapper = (ctx) => {
  const [a, b] = [ctx.input(0), ctx.input(1)];
  const ca = ctx.graph.constant(a);
  const cb = ctx.graph.constant(b);
  const y = ctx.node.outputs[0]!;
  if (cb && !ca) {
    if (cb.dims.length !== 2)
      ctx.unsupported(`multiplies by a constant of rank ${cb.dims.length} (a 2-D weight matrix maps to Dense)`);
    return [denseSpec(ctx, weightValues(cb), null)];
  }
  if (ca && !cb) {
    const xs = ctx.shape(1);
    if (ca.dims.length !== 2 || xs.length !== 3)
      ctx.unsupported("multiplies a constant on the left of a tensor that is not 3-D");
    const [m, k] = ca.dims as [number, number];
    return [
      {
        className: "EinsumDense",
        config: {
          equation: "bkn,mk->bmn",
          output_shape: [m, xs[2]],
          activation: fusedActivation(ctx),
          bias_axes: null,
        },
        inputs: [b],
        outputs: [y],
        weights: { kernel: { shape: [m, k], data: float32Of(ca) } },
      },
    ];
  }
  const ra = ctx.shape(0).length;
  const rb = ctx.shape(1).length;
  if (ra === 3 && rb === 3)
    return [
      { className: "Dot", config: { axes: [2, 1], normalize: false }, inputs: [a, b], args: "list", outputs: [y] },
    ];
  // Batches of matrices with more batch-like axes (attention heads): `keras.ops.matmul`, NumPy's rule as ONNX's.
  if (ra === rb && ra > 3) return [operation("keras.src.ops.numpy", "Matmul", {}, [a, b], y)];
  return ctx.unsupported(
    `multiplies run-time tensors of ranks ${ra} and ${rb} (Keras's Dot takes two 3-D batches, keras.ops.matmul two of one rank)`,
  );
};

/** True when a constant is a vector along the last axis (broadcast): a Dense bias. */
export function isBiasFor(c: Const, units: number): boolean {
  const n = sizeOf(c.dims);
  return (n === units || n === 1) && c.dims.slice(0, -1).every((d) => d === 1) && numbers(c).length > 0;
}

export const denseMappers: Record<string, Mapper> = {
  Gemm: gemm,
  MatMul: matmul,
  "kg.Dense": fusedDense,
};
