import type { DType } from "./graph.js";

/**
 * The compute and variable dtypes of a layer's `dtype` config, which Keras writes as a string
 * ("float32", "mixed_float16"), a Keras 3 `DTypePolicy` object or a Keras 2 `Policy` object.
 */
export function dtypePolicy(dtype: unknown): { compute: DType; variable: DType } {
  let name: unknown = dtype;
  if (dtype && typeof dtype === "object" && !Array.isArray(dtype)) {
    const cfg = (dtype as Record<string, unknown>).config;
    name = cfg && typeof cfg === "object" ? (cfg as Record<string, unknown>).name : undefined;
  }
  if (typeof name !== "string" || name === "") return { compute: "float32", variable: "float32" };
  if (name === "mixed_float16") return { compute: "float16", variable: "float32" };
  if (name === "mixed_bfloat16") return { compute: "bfloat16", variable: "float32" };
  if (name.startsWith("int8_from_") || name.startsWith("float8_from_")) {
    const base = name.slice(name.indexOf("_from_") + 6);
    return dtypePolicy(base);
  }
  return { compute: name, variable: name };
}

export function isFloatDtype(dtype: DType): boolean {
  return dtype.startsWith("float") || dtype === "bfloat16";
}
