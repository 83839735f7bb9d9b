import { onnxDataType } from "../../model.js";
import { numbers, sizeOf } from "../const.js";
import { normalizeAxis } from "../params.js";
import { type Mapper, operation } from "./context.js";

/*
 * ONNX ops that no Keras layer computes but a Keras 3 operation does, exactly (the operations Keras records
 * in functional models: `keras.ops.equal(x, 0.0)`, `keras.ops.max(x, axis=-1, keepdims=True)`, `x @ y`).
 * Operations carry no masks, so nothing downstream changes meaning.
 */

const NUMPY = "keras.src.ops.numpy";

/** Binary ops between tensors, or a tensor and a scalar constant (a Python scalar operand, in its place). */
function binaryOp(className: string): Mapper {
  return (ctx) => {
    const operands = [0, 1].map((i) => {
      const name = ctx.input(i);
      const c = ctx.graph.constant(name);
      if (!c) return name;
      // A one-element constant of no higher rank than the tensor broadcasts as a scalar would.
      const other = ctx.graph.value(ctx.input(1 - i)).shape?.length ?? 0;
      if (sizeOf(c.dims) !== 1 || c.dims.length > other)
        return ctx.unsupported(
          `compares with a constant of shape [${c.dims.join(", ")}] (Keras operations take scalars)`,
        );
      return numbers(c)[0]!;
    });
    if (operands.every((o) => typeof o === "number")) ctx.unsupported("compares two constants");
    return [operation(NUMPY, className, {}, operands, ctx.node.outputs[0]!)];
  };
}

const KERAS_DTYPES = ["float32", "float64", "float16", "bfloat16", "bool"].concat(
  ["8", "16", "32", "64"].flatMap((bits) => [`int${bits}`, `uint${bits}`]),
);

/** `Cast(to)` → `keras.ops.cast(x, dtype)`. */
const cast: Mapper = (ctx) => {
  const to = ctx.int("to");
  const dtype = KERAS_DTYPES.find((d) => onnxDataType(d) === to);
  if (!dtype) return ctx.unsupported(`casts to ONNX element type ${to}, which Keras tensors cannot hold`);
  return [operation("keras.src.ops.core", "Cast", { dtype }, [ctx.input(0)], ctx.node.outputs[0]!)];
};

const REDUCTIONS: Record<string, { className: string; config: Record<string, unknown> }> = {
  ReduceMean: { className: "Mean", config: {} },
  ReduceMax: { className: "Max", config: { initial: null } },
  ReduceMin: { className: "Min", config: { initial: null } },
  ReduceSum: { className: "Sum", config: {} },
  ReduceProd: { className: "Prod", config: { dtype: null } },
};

/**
 * A reduction over non-batch axes (what the passes did not turn into pooling or normalization layers) →
 * `keras.ops.<mean|max|...>(x, axis, keepdims)`; one over the batch axis (or over every axis) is refused.
 */
const reduce: Mapper = (ctx) => {
  const { className, config } = REDUCTIONS[ctx.node.op]!;
  const rank = ctx.shape(0).length;
  const axes = ctx.intsAttrOrInput("axes", 1, ctx.node.op === "ReduceSum" ? 13 : 18, []);
  if (!axes?.length) {
    if (ctx.int("noop_with_empty_axes", 0) === 1) ctx.unsupported("reduces no axis (noop_with_empty_axes=1)");
    return ctx.unsupported("reduces every axis, the batch axis included");
  }
  const normalized = axes.map((a) => normalizeAxis(a, rank)).sort((a, b) => a - b);
  if (normalized.includes(0)) ctx.unsupported("reduces over the batch axis");
  const axis = normalized.length === 1 ? normalized[0]! : normalized;
  const keepdims = ctx.int("keepdims", 1) === 1;
  return [operation(NUMPY, className, { axis, keepdims, ...config }, [ctx.input(0)], ctx.node.outputs[0]!)];
};

export const opsMappers: Record<string, Mapper> = {
  Equal: binaryOp("Equal"),
  Greater: binaryOp("Greater"),
  Less: binaryOp("Less"),
  GreaterOrEqual: binaryOp("GreaterEqual"),
  LessOrEqual: binaryOp("LessEqual"),
  Not: (ctx) => [operation(NUMPY, "LogicalNot", {}, [ctx.input(0)], ctx.node.outputs[0]!)],
  Cast: cast,
  ...Object.fromEntries(Object.keys(REDUCTIONS).map((op) => [op, reduce])),
};
