import type { DType } from "../../ir/graph.js";

/**
 * `keras.backend.result_type` (keras/src/backend/common/dtypes.py): JAX's type promotion lattice with
 * weak Python scalars. A Python `int` or `float` operand is weak (`3` keeps an int8 tensor int8, `0.5`
 * turns an int32 tensor into float32); a Python `bool` is a strong "bool". As under Keras's JAX and torch
 * backends (the fixtures were made with torch), 64-bit results are narrowed to 32 bits.
 */

/** The dtype of a Python scalar operand: weak, resolved against the other operands. */
export const PY_INT = "py:int";
export const PY_FLOAT = "py:float";

/** Each type's immediate successors on the lattice; "int"/"float" are the weak Python types. */
const LATTICE: Record<string, string[]> = {
  bool: ["int"],
  uint8: ["int16", "uint16"],
  uint16: ["int32", "uint32"],
  uint32: ["int64", "uint64"],
  uint64: ["float"],
  int: ["uint8", "int8", "complex64"],
  int8: ["int16"],
  int16: ["int32"],
  int32: ["int64"],
  int64: ["float"],
  float: ["bfloat16", "float16"],
  bfloat16: ["float32"],
  float16: ["float32"],
  float32: ["float64", "complex64"],
  float64: ["complex128"],
  complex64: ["complex128"],
  complex128: [],
};

const UPPER = new Map<string, Set<string>>();
for (const node of Object.keys(LATTICE)) {
  const seen = new Set([node]);
  const todo = [node];
  while (todo.length) {
    for (const next of LATTICE[todo.pop()!]!) {
      if (!seen.has(next)) {
        seen.add(next);
        todo.push(next);
      }
    }
  }
  UPPER.set(node, seen);
}

const NARROW: Record<string, DType> = { int64: "int32", uint64: "uint32", float64: "float32", complex128: "complex64" };

export class PromotionError extends Error {}

function leastUpperBound(nodes: string[]): string {
  const set = [...new Set(nodes)];
  const bounds = set.map((n) => {
    const ub = UPPER.get(n);
    if (!ub) throw new PromotionError(`dtype='${n}' is not a valid dtype for Keras type promotion.`);
    return ub;
  });
  const common = [...bounds[0]!].filter((c) => bounds.every((b) => b.has(c)));
  const inputs = common.filter((c) => set.includes(c));
  const lub = inputs.length ? inputs : common.filter((c) => common.every((d) => UPPER.get(c)!.has(d)));
  if (lub.length !== 1) {
    throw new PromotionError(
      `Input dtypes (${nodes.map((n) => `'${n}'`).join(", ")}) have no available implicit dtype promotion path. ` +
        "Try explicitly casting inputs to the desired output type.",
    );
  }
  return lub[0]!;
}

const weakOf = (d: string) => (d === "bool" ? d : d.includes("float") ? "float" : d.includes("int") ? "int" : d);

function resolveWeak(d: string): DType {
  const first = d === "bfloat16" ? "f" : d[0];
  return first === "b" ? "bool" : first === "i" ? "int32" : first === "u" ? "uint32" : "float32";
}

/** The promoted dtype of the given operand dtypes (`PY_INT`/`PY_FLOAT` for Python scalars). */
export function resultType(...args: string[]): DType {
  if (args.length === 0) return "float32";
  const dtypes = args.map((a) => (a === PY_INT ? "int32" : a === PY_FLOAT ? "float32" : a));
  const weak = args.map((a) => a === PY_INT || a === PY_FLOAT);
  let out: string;
  let outWeak: boolean;
  if (dtypes.length === 1) [out, outWeak] = [dtypes[0]!, weak[0]!];
  else if (new Set(dtypes).size === 1 && !weak.every(Boolean)) [out, outWeak] = [dtypes[0]!, false];
  else if (weak.every(Boolean)) [out, outWeak] = [leastUpperBound(dtypes), true];
  else {
    out = leastUpperBound(dtypes.map((d, i) => (weak[i] ? weakOf(d) : d)));
    outWeak = out === "int" || out === "float";
  }
  if (outWeak && out !== "bool") out = resolveWeak(out);
  return NARROW[out] ?? out;
}

export const isFloat = (d: string) => d.includes("float");
export const isInt = (d: string) => d.startsWith("int") || d.startsWith("uint");

/** `x.dtype` for ops that turn integers into floats: `floatx()` for int64, else `result_type(dtype, float)`. */
export function floatResult(dtype: string): DType {
  return dtype === "int64" ? "float32" : resultType(dtype, PY_FLOAT);
}

/** Keras's sum-like accumulation rule (jax's): bool, int8, int16 -> int32; uint8, uint16 -> uint32 (int32 on torch). */
export function accumulateType(dtype: string): DType {
  const d = resultType(dtype);
  if (d === "bool" || d === "int8" || d === "int16") return "int32";
  if (d === "uint8" || d === "uint16" || d === "uint32") return "int32";
  return d;
}
