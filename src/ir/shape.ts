/** A dimension: a non-negative integer, or null when unknown (the batch dimension, usually). */
export type Dim = number | null;
/** A tensor shape, batch dimension included, as Keras prints it: `(None, 32, 32, 3)`. */
export type Shape = Dim[];

/** Python's repr of a shape tuple: `(None, 10)`, `(5,)`, `()`. */
export function formatShape(shape: Shape): string {
  const parts = shape.map((d) => (d === null ? "None" : String(d)));
  return parts.length === 1 ? `(${parts[0]},)` : `(${parts.join(", ")})`;
}

/** Product of the known dimensions; null when any dimension is unknown. */
export function shapeSize(shape: readonly Dim[]): number | null {
  let n = 1;
  for (const d of shape) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}

export function shapesEqual(a: readonly Dim[], b: readonly Dim[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Resolves a possibly negative axis against a rank, as Python indexing does. */
export function normalizeAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}
