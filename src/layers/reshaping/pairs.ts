import type { CallContext } from "../../ir/kind.js";
import { invalidConfig } from "../config-compat.js";

/**
 * The `padding` of ZeroPadding2D/3D and the `cropping` of Cropping2D/3D as Keras standardizes them: an int
 * `n` (every side), `n` ints (symmetric per axis) or `n` pairs ((before, after) per axis), all >= 0.
 * Keras 1's flat `(top, bottom, left, right)` form is accepted too.
 */
export function readPairs(ctx: CallContext, key: string, n: number): [number, number][] {
  const v = ctx.config.get(key);
  const isInt = (x: unknown): x is number => typeof x === "number" && Number.isInteger(x);
  let pairs: [number, number][] | null = null;
  if (isInt(v)) pairs = Array.from({ length: n }, () => [v, v]);
  else if (Array.isArray(v) && v.length === n) {
    pairs = v.map((e) =>
      isInt(e) ? [e, e] : Array.isArray(e) && e.length === 2 && e.every(isInt) ? [e[0], e[1]] : null,
    ) as [number, number][] | null;
    if (pairs!.some((p) => p === null)) pairs = null;
  } else if (Array.isArray(v) && v.length === 2 * n && v.every(isInt)) {
    pairs = Array.from({ length: n }, (_, i) => [v[2 * i] as number, v[2 * i + 1] as number]);
  }
  if (!pairs || pairs.some(([a, b]) => a < 0 || b < 0)) {
    invalidConfig(
      ctx,
      `\`${key}\` should be either an int, a tuple of ${n} ints or a tuple of ${n} tuples of 2 non-negative ints. ` +
        `Received: ${key}=${JSON.stringify(v)}.`,
    );
  }
  return pairs;
}
