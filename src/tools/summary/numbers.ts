import type { Graph, Layer, WeightSpec } from "../../ir/graph.js";
import { shapeSize } from "../../ir/shape.js";

/** Python's `f"{n:,}"`: 1392097 → "1,392,097". */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Bits per element of a variable dtype (keras/src/utils/dtype_utils.py `DTYPE_TO_SIZE`). */
export function dtypeBits(dtype: string): number {
  if (dtype === "bool") return 1;
  const bits = /^(?:b?float|u?int)(8|16|32|64)$/.exec(dtype)?.[1];
  // Keras refuses other dtypes; a string we cannot size counts as float32 rather than failing the summary.
  return bits ? Number(bits) : 32;
}

export interface WeightTotal {
  count: number;
  bits: number;
}

/**
 * The model's trainable and non-trainable weights (each variable once), counted and sized in bits as
 * `print_summary` does with `count_params` and `weight_memory_size`. A frozen model has no trainable
 * weights.
 */
export function weightTotals(graph: Graph, layers: Layer[]): { trainable: WeightTotal; nonTrainable: WeightTotal } {
  const frozen = graph.config.trainable === false;
  const seen = new Set<WeightSpec>();
  const trainable = { count: 0, bits: 0 };
  const nonTrainable = { count: 0, bits: 0 };
  for (const layer of new Set(layers)) {
    for (const v of layer.variables()) {
      if (seen.has(v.weight)) continue;
      seen.add(v.weight);
      const n = shapeSize(v.weight.shape) ?? 0;
      const into = v.trainable && !frozen ? trainable : nonTrainable;
      into.count += n;
      into.bits += n * dtypeBits(v.weight.dtype);
    }
  }
  return { trainable, nonTrainable };
}

const UNITS = ["B", "KB", "MB", "GB", "TB", "PB"];

/**
 * `readable_memory_size(bits / 8)`: "872.04 KB" (1024 per step, two decimals). Computed exactly, with
 * Python's round-half-even, so that 128 bytes of 1024 print as "0.12 KB" as Keras does.
 */
export function readableMemorySize(bits: number): string {
  const b = BigInt(Math.round(bits));
  let unit = 0;
  let den = 8n;
  // Keras divides once more after "PB" and still calls it PB.
  while (unit < UNITS.length && b >= den * 1024n) {
    den *= 1024n;
    unit += 1;
  }
  const num = b * 100n;
  let q = num / den;
  const twice = 2n * (num % den);
  if (twice > den || (twice === den && q % 2n === 1n)) q += 1n;
  const frac = String(q % 100n).padStart(2, "0");
  return `${q / 100n}.${frac} ${UNITS[Math.min(unit, UNITS.length - 1)]}`;
}
