/**
 * torch.nn.functional.interpolate(size=..., align_corners=False[, antialias=True]) in plain TypeScript,
 * written from PyTorch's CPU kernels (UpSample.h, UpSampleKernel.cpp), for checking the ONNX Resize that
 * the Resizing emitter picks: per output index, the input taps and their weights along one axis.
 */

export type Mode = "bilinear" | "nearest" | "bicubic";
type Taps = [index: number, weight: number][];

const A = -0.75; // torch's bicubic coefficient
const cubic1 = (x: number, a: number) => ((a + 2) * x - (a + 3)) * x * x + 1;
const cubic2 = (x: number, a: number) => ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;

/** Taps without antialiasing: linear (source clamped at 0), nearest-exact, or Keys' cubic with clamped reads. */
function plainTaps(size: number, out: number, mode: Mode): Taps[] {
  const scale = size / out;
  const clamp = (i: number) => Math.min(Math.max(i, 0), size - 1);
  return Array.from({ length: out }, (_, o): Taps => {
    if (mode === "nearest") return [[Math.min(Math.floor((o + 0.5) * scale), size - 1), 1]];
    const src = scale * (o + 0.5) - 0.5;
    if (mode === "bilinear") {
      const s = Math.max(src, 0);
      const i0 = Math.floor(s);
      const l = s - i0;
      return [
        [i0, 1 - l],
        [clamp(i0 + 1), l],
      ];
    }
    const i = Math.floor(src);
    const t = src - i;
    const w = [cubic2(t + 1, A), cubic1(t, A), cubic1(1 - t, A), cubic2(2 - t, A)];
    return w.map((wk, k): [number, number] => [clamp(i - 1 + k), wk]);
  });
}

/** PIL-style antialiased taps as torch computes them (`_compute_indices_min_size_weights_aa`). */
function antialiasTaps(size: number, out: number, mode: Mode): Taps[] {
  const scale = size / out;
  const interp = mode === "bilinear" ? 2 : 4;
  const support = (interp / 2) * (scale >= 1 ? scale : 1);
  const invscale = scale >= 1 ? 1 / scale : 1;
  const filter = (x: number) => {
    const a = Math.abs(x);
    if (mode === "bilinear") return a < 1 ? 1 - a : 0;
    return a < 1 ? cubic1(a, -0.5) : a < 2 ? cubic2(a, -0.5) : 0;
  };
  return Array.from({ length: out }, (_, o): Taps => {
    const center = scale * (o + 0.5);
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const xsize = Math.min(Math.trunc(center + support + 0.5), size) - xmin;
    const taps: Taps = [];
    for (let j = 0; j < xsize; j++) taps.push([xmin + j, filter((j + xmin - center + 0.5) * invscale)]);
    const total = taps.reduce((s, [, w]) => s + w, 0);
    return taps.map(([i, w]) => [i, total !== 0 ? w / total : w]);
  });
}

/**
 * Resizes an NHWC (or, with `channelsFirst`, NCHW) float64 image batch to (outH, outW) along H then W,
 * as torch's separable kernels do.
 */
export function interpolateReference(
  data: ArrayLike<number | bigint>,
  shape: number[],
  size: [number, number],
  mode: Mode,
  options: { antialias?: boolean; channelsFirst?: boolean } = {},
): { shape: number[]; data: Float64Array } {
  const cf = options.channelsFirst ?? false;
  const [n, h, w, c] = cf ? [shape[0]!, shape[2]!, shape[3]!, shape[1]!] : (shape as [number, number, number, number]);
  const [oh, ow] = size;
  const aa = (options.antialias ?? false) && mode !== "nearest";
  const taps = (i: number, o: number) => (aa ? antialiasTaps(i, o, mode) : plainTaps(i, o, mode));
  const rows = taps(h, oh);
  const cols = taps(w, ow);
  const at = (b: number, y: number, x: number, ch: number) =>
    cf ? ((b * c + ch) * h + y) * w + x : ((b * h + y) * w + x) * c + ch;
  const outAt = (b: number, y: number, x: number, ch: number) =>
    cf ? ((b * c + ch) * oh + y) * ow + x : ((b * oh + y) * ow + x) * c + ch;
  const out = new Float64Array(n * oh * ow * c);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < oh; y++)
      for (let x = 0; x < ow; x++)
        for (let ch = 0; ch < c; ch++) {
          let s = 0;
          for (const [iy, wy] of rows[y]!)
            for (const [ix, wx] of cols[x]!) s += wy * wx * Number(data[at(b, iy, ix, ch)]);
          out[outAt(b, y, x, ch)] = s;
        }
  return { shape: cf ? [n, c, oh, ow] : [n, oh, ow, c], data: out };
}
