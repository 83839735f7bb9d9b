import type { NdArray } from "../../src/formats/npy/array.js";

/** The fixtures' tolerance (keras3/README.md): |ours - keras| <= atol + rtol * |keras|, elementwise. */
export const KERAS_TOLERANCE = { atol: 1e-4, rtol: 1e-3 };

/**
 * Compares two arrays elementwise; returns null when every element is within tolerance, else a line
 * saying how many are not and the worst one (index, both values).
 */
export function mismatch(got: NdArray, want: NdArray, tol = KERAS_TOLERANCE): string | null {
  if (got.shape.join(",") !== want.shape.join(","))
    return `shape (${got.shape.join(", ")}) != (${want.shape.join(", ")})`;
  let bad = 0;
  let worst = -1;
  let worstExcess = -Infinity;
  for (let i = 0; i < want.data.length; i++) {
    const w = Number(want.data[i]);
    const g = Number(got.data[i]);
    const excess = Math.abs(g - w) - (tol.atol + tol.rtol * Math.abs(w));
    if (Number.isNaN(w) && Number.isNaN(g)) continue;
    if (!(excess <= 0)) {
      bad++;
      if (!(excess <= worstExcess)) {
        worstExcess = excess;
        worst = i;
      }
    }
  }
  if (bad === 0) return null;
  return `${bad}/${want.data.length} elements off; worst at ${worst}: ${Number(got.data[worst])} vs ${Number(want.data[worst])}`;
}
