import { type Const, int64Const, numbers } from "../const.js";
import type { ImportGraph, Node } from "../graph.js";
import { normalizeAxis } from "../params.js";

/**
 * The per-axis parameters of ops a transpose is pushed through (Resize's scales and sizes, Pad's pads,
 * Slice's axes), rewritten for the untransposed input: for y = transpose(x, perm), axis i of y is
 * axis perm[i] of x.
 */

function addConst(g: ImportGraph, base: string, c: Const): string {
  return g.addValue(base, [...c.dims], c.dtype, { value: c }).name;
}

/** x-space values of per-axis parameters given for y = transpose(x, perm): out[perm[i]] = values[i]. */
function toInputAxes(values: number[], perm: number[]): number[] {
  const out = new Array<number>(values.length);
  perm.forEach((p, i) => (out[p] = values[i]!));
  return out;
}

/**
 * Rewrites a Resize / Upsample / Pad's per-axis parameters (scales, sizes, pads) for the untransposed
 * input. False (nothing changed) when they are not constants of one value per axis.
 */
export function permuteAxisParams(g: ImportGraph, c: Node, perm: number[]): boolean {
  const rank = perm.length;
  const remap = (name: string | undefined, per: 1 | 2): string | null | undefined => {
    if (!name) return undefined;
    const k = g.constant(name);
    if (!k) return null;
    const v = numbers(k);
    if (v.length === 0) return undefined;
    if (v.length !== per * rank) return null;
    const out =
      per === 1 ? toInputAxes(v, perm) : [...toInputAxes(v.slice(0, rank), perm), ...toInputAxes(v.slice(rank), perm)];
    const made =
      k.dtype === "int64" ? int64Const(out) : { dtype: k.dtype, dims: [out.length], data: Float32Array.from(out) };
    return addConst(g, `${name}_t`, made);
  };
  if (c.op === "Pad") {
    if (g.opset < 11) {
      const pads = (c.attrs.pads ?? c.attrs.paddings) as number[] | undefined;
      if (!pads || pads.length !== 2 * rank) return false;
      c.attrs = {
        ...c.attrs,
        pads: [...toInputAxes(pads.slice(0, rank), perm), ...toInputAxes(pads.slice(rank), perm)],
      };
      return true;
    }
    if (c.inputs[3]) return false;
    const pads = remap(c.inputs[1], 2);
    if (!pads) return false;
    c.inputs[1] = pads;
    return true;
  }
  if (c.op === "Upsample" && g.opset < 9) {
    const scales = c.attrs.scales as number[] | undefined;
    if (!scales || scales.length !== rank) return false;
    c.attrs = { ...c.attrs, scales: toInputAxes(scales, perm) };
    return true;
  }
  const slots = c.op === "Upsample" || g.opset < 11 ? [1] : [2, 3];
  if (c.op === "Resize" && g.opset >= 11 && c.inputs[1] && g.constant(c.inputs[1])?.data.length) return false;
  const replaced = slots.map((i) => remap(c.inputs[i], 1));
  if (replaced.some((r) => r === null)) return false;
  slots.forEach((i, k) => {
    if (replaced[k]) c.inputs[i] = replaced[k]!;
  });
  return true;
}

/** Slice's axes renumbered for the untransposed input (axis a of y is axis perm[a] of x). */
export function permuteSliceAxes(g: ImportGraph, c: Node, perm: number[]): boolean {
  const rank = perm.length;
  if (g.opset < 10) {
    const starts = c.attrs.starts as number[] | undefined;
    if (!starts) return false;
    const axes = (c.attrs.axes as number[] | undefined) ?? starts.map((_, i) => i);
    c.attrs = { ...c.attrs, axes: axes.map((a) => perm[normalizeAxis(a, rank)]!) };
    return true;
  }
  const starts = g.constant(c.inputs[1] ?? "");
  const given = c.inputs[3] ? g.constant(c.inputs[3]) : undefined;
  if (!starts || (c.inputs[3] && !given)) return false;
  const axes = given ? numbers(given) : numbers(starts).map((_, i) => i);
  c.inputs[3] = addConst(g, `${c.name}_axes`, int64Const(axes.map((a) => perm[normalizeAxis(a, rank)]!)));
  return true;
}
