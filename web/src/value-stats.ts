/** Summary numbers of an array of values (NaN and infinities counted apart, left out of the rest). */
export interface ValueStats {
  count: number;
  min: number;
  max: number;
  mean: number;
  std: number;
  nonFinite: number;
}

export function valueStats(values: ArrayLike<number>): ValueStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    n++;
    sum += v;
    sumSq += v * v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = n ? sum / n : NaN;
  return {
    count: values.length,
    min: n ? min : NaN,
    max: n ? max : NaN,
    mean,
    std: n ? Math.sqrt(Math.max(0, sumSq / n - mean * mean)) : NaN,
    nonFinite: values.length - n,
  };
}

/** A number for a table cell: 4 significant digits, exponent form for the very small or large. */
export function formatValue(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (v === 0) return "0";
  const a = Math.abs(v);
  return a >= 1e5 || a < 1e-3 ? v.toExponential(3) : v.toPrecision(4).replace(/\.?0+$/, "");
}
