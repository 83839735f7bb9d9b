import type { NodeReader } from "../attrs.js";
import { numbers } from "../const.js";
import type { Dim, Value } from "../graph.js";

export interface Inferred {
  shape: Dim[] | null;
  dtype: string;
}

/** Output shapes and dtypes of one node from its inputs' (rank unknown → null). */
export type ShapeRule = (r: NodeReader, ins: (Value | undefined)[]) => Inferred[];

export const sameDtype = (ins: (Value | undefined)[], shape: Dim[] | null): Inferred[] => [
  { shape, dtype: ins[0]?.dtype ?? "float32" },
];
/** The constant or symbolic values of a 1-D int input (Reshape's shape, Expand's shape, ...). */
export function shapeValues(v: Value | undefined): Dim[] | null {
  if (!v) return null;
  if (v.value) return numbers(v.value);
  return v.symbolic ?? null;
}
