import type { TensorSpec } from "../../ir/graph.js";
import type { CallContext, LayerKind } from "../../ir/kind.js";
import type { Dim, Shape } from "../../ir/shape.js";
import { PY_FLOAT, PY_INT, resultType } from "./dtypes.js";
import type { Operand } from "./define-op.js";
import {
  broadcastShapes,
  canonicalizeAxis,
  defineOp,
  operandAt,
  opt,
  prodOrNull,
  promote,
  pyList,
  pyTuple,
  shapeEqual,
  tensorAt,
} from "./define-op.js";

/*
 * Products of keras/src/ops/numpy.py: `x @ y` is `Matmul`; `dot`, `tensordot`, `einsum`, `outer`,
 * `inner`, `vdot`, `kron`, `cross`, `correlate`.
 */

const strong = (x: Operand) => (x.dtype === PY_INT ? "int32" : x.dtype === PY_FLOAT ? "float32" : x.dtype);

/** `compute_matmul_output_shape`: 1-D operands get a 1 that is dropped again; batch dims broadcast. */
const Matmul = defineOp("Matmul", {}, (ctx) => {
  const x1 = operandAt(ctx, 0, "x1");
  const x2 = operandAt(ctx, 1, "x2");
  if (x1.shape.length === 0 || x2.shape.length === 0)
    ctx.fail(
      `matmul needs operands of rank >= 1. Received: x1.shape=${pyTuple(x1.shape)}, x2.shape=${pyTuple(x2.shape)}`,
    );
  const s1: Shape = x1.shape.length === 1 ? [1, x1.shape[0]!] : x1.shape;
  const s2: Shape = x2.shape.length === 1 ? [x2.shape[0]!, 1] : x2.shape;
  const [k1, k2] = [s1.at(-1)!, s2.at(-2)!];
  if (k1 !== null && k2 !== null && k1 !== k2) {
    ctx.fail(
      `Inner dimensions (\`x1.shape[-1]\` and \`x2.shape[-2]\`) must be equal, but received \`x1.shape=${pyTuple(s1)}\` and \`x2.shape=${pyTuple(s2)}\`.`,
    );
  }
  const shape = [...broadcastShapes(ctx, s1.slice(0, -2), s2.slice(0, -2)), s1.at(-2)!, s2.at(-1)!];
  if (x1.shape.length === 1) shape.splice(-2, 1);
  if (x2.shape.length === 1) shape.splice(-1, 1);
  const [d1, d2] = [strong(x1), strong(x2)];
  return { shape, dtype: d1 === "int8" && d2 === "int8" ? "int32" : resultType(d1, d2) };
});

/** `dot(x1, x2)`: NumPy's dot (last axis of x1 with the second-to-last of x2). */
const Dot = defineOp("Dot", {}, (ctx) => {
  const x1 = operandAt(ctx, 0, "x1");
  const x2 = operandAt(ctx, 1, "x2");
  const dtype = promote(x1, x2);
  const [s1, s2] = [[...x1.shape], [...x2.shape]];
  if (s1.length === 0 || s2.length === 0) return { shape: broadcastShapes(ctx, s1, s2), dtype };
  if (s1.length === 1 && s2.length === 1) return { shape: [], dtype };
  if (s2.length === 1) {
    // Python's `!=`: None differs from a known size.
    if (s1.at(-1) !== s2[0]) {
      ctx.fail(
        "Shape must match on the last axis of `x1` and `x2` when `x1` is N-d array while `x2` is 1-D, but receive shape " +
          `\`x1.shape=${pyTuple(s1)}\` and x2.shape=\`${pyTuple(s2)}\`.`,
      );
    }
    return { shape: s1.slice(0, -1), dtype };
  }
  const [k1, k2] = [s1.at(-1)!, s2.at(-2)!];
  if (k1 !== null && k2 !== null && k1 !== k2) {
    ctx.fail(
      "Shape must match on the last axis of `x1` and second last axis of `x2` when `x1` is N-d array while `x2` is M-D, but " +
        `received \`x1.shape=${pyTuple(s1)}\` and x2.shape=\`${pyTuple(s2)}\`.`,
    );
  }
  s1.splice(-1, 1);
  s2.splice(-2, 1);
  return { shape: [...s1, ...s2], dtype };
});

/** `tensordot(x1, x2, axes=2)`: an int drops the last/first `axes` dims, a pair of lists names them. */
const Tensordot = defineOp("Tensordot", { axes: 2 }, (ctx) => {
  const x1 = operandAt(ctx, 0, "x1");
  const x2 = operandAt(ctx, 1, "x2");
  const dtype = promote(x1, x2);
  const axes = opt(ctx, "axes");
  if (typeof axes === "number") {
    return {
      shape: axes <= 0 ? [...x1.shape, ...x2.shape] : [...x1.shape.slice(0, -axes), ...x2.shape.slice(axes)],
      dtype,
    };
  }
  const pair = (Array.isArray(axes) ? axes : []).map((a) => (Array.isArray(a) ? a : [a])) as number[][];
  if (pair.length !== 2)
    return ctx.fail(`expects \`axes\` to be an int or two lists of axes. Received: axes=${JSON.stringify(axes)}`);
  const a1 = pair[0]!.map((a) => canonicalizeAxis(ctx, a, x1.shape.length));
  const a2 = pair[1]!.map((a) => canonicalizeAxis(ctx, a, x2.shape.length));
  const sel1 = a1.map((a) => x1.shape[a]!);
  const sel2 = a2.map((a) => x2.shape[a]!);
  if (!shapeEqual(sel1, sel2))
    ctx.fail(`Shape mismatch on \`x1[axes[0]]\` and \`x2[axes[1]]\`, received ${pyList(sel1)} and ${pyList(sel2)}.`);
  return {
    shape: [...x1.shape.filter((_, i) => !a1.includes(i)), ...x2.shape.filter((_, i) => !a2.includes(i))],
    dtype,
  };
});

/**
 * `einsum(subscripts, *operands)`: Keras's own shape rule — each operand is mapped onto the output
 * spec (letters it has take its sizes, "..." takes its leftover dims, other letters are 1) and the
 * results broadcast. Without "->", the output is "..." plus the letters used once, sorted.
 */
const Einsum = defineOp("Einsum", {}, (ctx) => {
  const subscripts = opt(ctx, "subscripts");
  if (typeof subscripts !== "string")
    return ctx.fail(`expects \`subscripts\` to be a string. Received: subscripts=${JSON.stringify(subscripts)}`);
  const operands = ctx.args.map((_, i) => operandAt(ctx, i, "operands"));
  const parts = subscripts.replace(/\s/g, "").split("->");
  if (parts.length > 2) ctx.fail(`At most one '->' is supported in \`einsum\` subscripts, but received ${subscripts}.`);
  const inputs = parts[0]!.split(",");
  if (inputs.length !== operands.length) {
    ctx.fail(
      `Number of operands (${operands.length}) does not match the number of input specs (${inputs.length}) in \`einsum\`, received subscripts=${subscripts}.`,
    );
  }
  let target: string;
  if (parts.length === 2) target = parts[1]!;
  else {
    const counts = new Map<string, number>();
    for (const c of parts[0]!) if (/[a-zA-Z]/.test(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
    target =
      "..." +
      [...counts]
        .filter(([, n]) => n === 1)
        .map(([c]) => c)
        .sort()
        .join("");
  }
  const tokens = target.split(/(\.\.\.)/).flatMap((t) => (t === "..." ? [t] : [...t]));
  const shapes = operands.map((x, k) => {
    const spec = inputs[k]!;
    const sizes = new Map<string, Dim>();
    let wildcard: Shape = [];
    const [pre, post] = spec.split("...") as [string, string | undefined];
    if (post === undefined) {
      if (x.shape.length !== pre.length) {
        ctx.fail(
          `Number of dimensions in the subscript does not match the number of dimensions in the operand, received subscript \`${spec}\` and operand of shape ${pyList(x.shape)}.`,
        );
      }
      [...pre].forEach((c, i) => sizes.has(c) || sizes.set(c, x.shape[i]!));
    } else {
      [...pre].forEach((c, i) => sizes.has(c) || sizes.set(c, x.shape[i]!));
      [...post].reverse().forEach((c, i) => sizes.has(c) || sizes.set(c, x.shape[x.shape.length - 1 - i]!));
      wildcard = x.shape.slice(pre.length, x.shape.length - post.length);
    }
    return tokens.flatMap((t): Shape =>
      t === "..." ? (post === undefined ? [] : wildcard) : [sizes.has(t) ? sizes.get(t)! : 1],
    );
  });
  const shape = shapes.slice(1).reduce((a, b) => broadcastShapes(ctx, a, b), shapes[0]!);
  const dtypes = [...new Set(operands.map(strong))];
  return { shape, dtype: dtypes.length === 1 && dtypes[0] === "int8" ? "int32" : resultType(...dtypes) };
});

const Outer = defineOp("Outer", {}, (ctx) => {
  const x1 = operandAt(ctx, 0, "x1");
  const x2 = operandAt(ctx, 1, "x2");
  const flat = (x: TensorSpec) => (x.dtype.startsWith("py:") ? 1 : prodOrNull(x.shape));
  return { shape: [flat(x1), flat(x2)], dtype: promote(x1, x2) };
});

const Inner = defineOp("Inner", {}, (ctx) => {
  const x1 = operandAt(ctx, 0, "x1");
  const x2 = operandAt(ctx, 1, "x2");
  const dtype = promote(x1, x2);
  if (x1.shape.length === 0) return { shape: x2.shape, dtype };
  if (x2.shape.length === 0) return { shape: x1.shape, dtype };
  const [d1, d2] = [x1.shape.at(-1)!, x2.shape.at(-1)!];
  if (d1 !== null && d2 !== null && d1 !== d2) {
    ctx.fail(
      `\`inner\` requires the last dimension of \`x1\` and \`x2\` to match. Received: x1.shape=${pyTuple(x1.shape)}, x2.shape=${pyTuple(x2.shape)}.`,
    );
  }
  return { shape: [...x1.shape.slice(0, -1), ...x2.shape.slice(0, -1)], dtype };
});

const Vdot = defineOp("Vdot", {}, (ctx) => ({
  shape: [],
  dtype: promote(operandAt(ctx, 0, "x1"), operandAt(ctx, 1, "x2")),
}));

/** `kron(x1, x2)`: Keras multiplies the dims pairwise over the shorter rank. */
const Kron = defineOp("Kron", {}, (ctx) => {
  const x1 = operandAt(ctx, 0, "x1");
  const x2 = operandAt(ctx, 1, "x2");
  const n = Math.min(x1.shape.length, x2.shape.length);
  const shape = Array.from({ length: n }, (_, i) => {
    const [a, b] = [x1.shape[i]!, x2.shape[i]!];
    return a === null || b === null ? null : a * b;
  });
  return { shape, dtype: resultType(strong(x1), strong(x2)) };
});

/** `cross(x1, x2, axisa=-1, axisb=-1, axisc=-1, axis=None)`: vectors of size 2 or 3. */
const Cross = defineOp("Cross", { axisa: -1, axisb: -1, axisc: -1, axis: null }, (ctx) => {
  const x1 = tensorAt(ctx, 0, "x1");
  const x2 = tensorAt(ctx, 1, "x2");
  const axis = opt(ctx, "axis");
  const pick = (k: string) => (axis !== null && axis !== undefined ? axis : opt(ctx, k));
  const a = canonicalizeAxis(ctx, pick("axisa"), x1.shape.length);
  const b = canonicalizeAxis(ctx, pick("axisb"), x2.shape.length);
  const [v1, v2] = [x1.shape[a]!, x2.shape[b]!];
  for (const [v, name, key] of [
    [v1, "x1", "axisa"],
    [v2, "x2", "axisb"],
  ] as const) {
    if (v !== null && v !== 2 && v !== 3)
      ctx.fail(`\`${name}\`'s dim on \`axis={${key}}\` must be either 2 or 3, but received: ${v}`);
  }
  const base = broadcastShapes(
    ctx,
    x1.shape.filter((_, i) => i !== a),
    x2.shape.filter((_, i) => i !== b),
  );
  const value: Shape = v1 === 3 || v2 === 3 ? [3] : [];
  const c = canonicalizeAxis(ctx, pick("axisc"), base.length + value.length);
  return { shape: [...base.slice(0, c), ...value, ...base.slice(c)], dtype: promote(x1, x2) };
});

/** `correlate(x1, x2, mode="valid")` of two 1-D tensors. */
const Correlate = defineOp("Correlate", { mode: "valid" }, (ctx: CallContext) => {
  const x1 = operandAt(ctx, 0, "x1");
  const x2 = operandAt(ctx, 1, "x2");
  for (const [x, name] of [
    [x1, "x1"],
    [x2, "x2"],
  ] as const) {
    if (x.shape.length !== 1)
      ctx.fail(`\`${name}\` must be a 1-dimensional tensor, but receivedshape ${pyTuple(x.shape)}`);
  }
  const [n1, n2] = [x1.shape[0]!, x2.shape[0]!];
  const mode = opt(ctx, "mode");
  if (mode !== "valid" && mode !== "same" && mode !== "full") {
    ctx.fail(`\`mode\` must be either \`valid\`, \`same\`, or \`full\`, butreceived: ${String(mode)}`);
  }
  const known = n1 !== null && n2 !== null;
  const length: Dim = !known
    ? null
    : mode === "same"
      ? Math.max(n1, n2)
      : mode === "full"
        ? n1 + n2 - 1
        : Math.abs(n1 - n2) + 1;
  const d = promote(x1, x2);
  return {
    shape: [length],
    dtype: d === "int64" ? "float64" : ["bfloat16", "float16", "float64"].includes(d) ? d : "float32",
  };
});

export const numpyProductKinds: LayerKind[] = [
  Matmul,
  Dot,
  Tensordot,
  Einsum,
  Outer,
  Inner,
  Vdot,
  Kron,
  Cross,
  Correlate,
];
