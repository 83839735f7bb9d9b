import type { ArgTree, DType, TensorSpec } from "../../ir/graph.js";
import type { CallContext } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { formatShape } from "../../ir/shape.js";

/*
 * Keras 3 records `x + 3`, `x * y`, `keras.ops.concatenate(...)`... on symbolic tensors as operations of
 * `keras.src.ops.numpy` whose class names (`Add`, `Multiply`, `Concatenate`, `Dot`, ...) are those of the
 * merge layers, e.g. `{"module": "keras.src.ops.numpy", "class_name": "Add", "registered_name": "Add"}`
 * in MobileNetV3. They take positional operands (`args: [x, 3]`) instead of one list, and follow
 * NumPy's broadcasting and dtype promotion instead of the layer's compute dtype.
 */

const isSpec = (v: unknown): v is TensorSpec =>
  !!v && typeof v === "object" && !Array.isArray(v) && Array.isArray((v as TensorSpec).shape);

/** Whether this call is the `keras.ops` operation rather than the merge layer of the same name. */
export function isNumpyOpCall(ctx: CallContext): boolean {
  const module = ctx.layer.meta.module;
  if (typeof module === "string" && module.startsWith("keras.src.ops")) return true;
  return ctx.args.length >= 2 && !Array.isArray(ctx.args[0]);
}

/** An operand: a tensor's spec, or a Python scalar (shape `()`, a weak type). */
export interface Operand {
  shape: Shape;
  dtype: DType | "weak_int" | "weak_float" | "weak_bool";
}

export function operand(ctx: CallContext, v: ArgTree<TensorSpec> | undefined): Operand {
  if (isSpec(v)) return v;
  if (typeof v === "number") return { shape: [], dtype: Number.isInteger(v) ? "weak_int" : "weak_float" };
  if (typeof v === "boolean") return { shape: [], dtype: "weak_bool" };
  return ctx.fail(`expects tensors or numbers as operands. Received: ${JSON.stringify(v)}`);
}

/** `keras.src.ops.operation_utils.broadcast_shapes`: NumPy broadcasting where None stays unknown. */
export function broadcastShapes(ctx: CallContext, a: Shape, b: Shape): Shape {
  const n = Math.max(a.length, b.length);
  const s1 = [...Array(n - a.length).fill(1), ...a] as Shape;
  const s2 = [...Array(n - b.length).fill(1), ...b] as Shape;
  return s1.map((d1, i) => {
    const d2 = s2[i]!;
    if (d1 === 1) return d2;
    if (d1 === null) return d2 === 1 ? null : d2;
    if (d2 === 1 || d2 === null || d2 === d1) return d1;
    return ctx.fail(
      `Cannot broadcast shape, the failure dim has value ${d1}, which cannot be broadcasted to ${d2}. ` +
        `Input shapes are: ${formatShape(a)} and ${formatShape(b)}.`,
    );
  });
}

const bits = (d: string) => Number(/\d+$/.exec(d)?.[0] ?? 32);
const isFloat = (d: string) => d.startsWith("float") || d === "bfloat16";
const isInt = (d: string) => d.startsWith("int") || d.startsWith("uint");

/**
 * `keras.backend.result_type` for two operands, simplified to the cases models use: Python scalars are
 * weak (they adopt the tensor's type, a float scalar turns an integer tensor into float32), floats win
 * over integers and bool, the wider type wins, float16 with bfloat16 gives float32.
 */
export function resultType(a: Operand["dtype"], b: Operand["dtype"]): DType {
  if (a.startsWith("weak_") && b.startsWith("weak_")) {
    return a === "weak_float" || b === "weak_float"
      ? "float32"
      : a === "weak_int" || b === "weak_int"
        ? "int32"
        : "bool";
  }
  if (a.startsWith("weak_")) return resultType(b, a);
  if (b.startsWith("weak_")) {
    if (b === "weak_float" && !isFloat(a)) return "float32";
    if (b === "weak_int" && a === "bool") return "int32";
    return a;
  }
  if (a === b) return a;
  if (a === "bool") return b;
  if (b === "bool") return a;
  if (isFloat(a) && isFloat(b)) {
    if (bits(a) === 16 && bits(b) === 16) return "float32";
    return bits(a) >= bits(b) ? a : b;
  }
  if (isFloat(a)) return a;
  if (isFloat(b)) return b;
  if (isInt(a) && isInt(b)) {
    const ua = a.startsWith("uint");
    const ub = b.startsWith("uint");
    if (ua === ub) return bits(a) >= bits(b) ? a : b;
    const [u, s] = ua ? [a, b] : [b, a];
    return bits(s) > bits(u) ? s : `int${Math.min(64, bits(u) * 2)}`;
  }
  return a;
}

/** `keras.ops.add/subtract/multiply/maximum/minimum(x1, x2)`: broadcast shapes, promoted dtype. */
export function binaryOpOutput(ctx: CallContext): TensorSpec {
  const [x1, x2] = [operand(ctx, ctx.args[0] ?? ctx.kwargs.x1), operand(ctx, ctx.args[1] ?? ctx.kwargs.x2)];
  return { shape: broadcastShapes(ctx, x1.shape, x2.shape), dtype: resultType(x1.dtype, x2.dtype) };
}

/** `keras.ops.dot(x1, x2)`: NumPy's dot (last axis of x1 with the second-to-last of x2). */
export function numpyDotOutput(ctx: CallContext): TensorSpec {
  const [x1, x2] = [operand(ctx, ctx.args[0] ?? ctx.kwargs.x1), operand(ctx, ctx.args[1] ?? ctx.kwargs.x2)];
  const dtype = resultType(x1.dtype, x2.dtype);
  const [s1, s2] = [[...x1.shape], [...x2.shape]];
  if (s1.length === 0 || s2.length === 0) return { shape: broadcastShapes(ctx, s1, s2), dtype };
  if (s1.length === 1 && s2.length === 1) return { shape: [], dtype };
  if (s2.length === 1) {
    if (s1.at(-1) !== s2[0]) {
      ctx.fail(
        `Shape must match on the last axis of \`x1\` and \`x2\`. Received: x1.shape=${formatShape(s1)}, x2.shape=${formatShape(s2)}`,
      );
    }
    return { shape: s1.slice(0, -1), dtype };
  }
  const [k1, k2] = [s1.at(-1), s2.at(-2)];
  if (k1 !== null && k2 !== null && k1 !== k2) {
    ctx.fail(
      "Shape must match on the last axis of `x1` and second last axis of `x2`. " +
        `Received: x1.shape=${formatShape(s1)}, x2.shape=${formatShape(s2)}`,
    );
  }
  s1.splice(-1, 1);
  s2.splice(-2, 1);
  return { shape: [...s1, ...s2], dtype };
}
