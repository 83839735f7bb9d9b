import { attr } from "../builder.js";
import type { OnnxBuilder } from "../builder.js";
import type { EmitContext, Emitter } from "../emitter.js";

/*
 * `MelSpectrogram` as Keras computes it (keras/src/layers/preprocessing/mel_spectrogram.py over
 * `keras.ops.stft`, i.e. torch.stft with center=True): reflect-pad fft_length // 2 on both sides, frames
 * of fft_length every sequence_stride samples, the window (sequence_length long, centered in the frame),
 * the one-sided DFT, |·|^mag_exp, the HTK mel filterbank, optionally decibels. The DFT is a MatMul with
 * constant cosine and sine matrices with the window folded in, so it needs no STFT/DFT op (any opset).
 */

/** Keras's `window` as torch builds it: periodic Hann or Hamming, a given list, or ones for None. */
function windowValues(ctx: EmitContext, length: number): number[] {
  const w = ctx.config.get("window");
  if (w === null || w === undefined) return new Array<number>(length).fill(1);
  if (Array.isArray(w)) {
    if (w.length !== length) ctx.unsupported(`a window of ${w.length} values for sequence_length=${length}`);
    return w.map(Number);
  }
  const [a, b] = w === "hann" ? [0.5, 0.5] : w === "hamming" ? [0.54, 0.46] : [NaN, NaN];
  if (Number.isNaN(a)) return ctx.unsupported(`window='${String(w)}' (Keras takes "hann", "hamming" or values)`);
  return Array.from({ length }, (_, n) => a - b * Math.cos((2 * Math.PI * n) / length));
}

/** `[N, N/2+1]` cosine and sine matrices of the one-sided DFT, each row scaled by the padded window. */
function dftMatrices(window: number[], n: number): { cos: Float32Array; sin: Float32Array } {
  const bins = Math.floor(n / 2) + 1;
  const left = Math.floor((n - window.length) / 2); // torch.stft centers a shorter window in the frame
  const cos = new Float32Array(n * bins);
  const sin = new Float32Array(n * bins);
  window.forEach((w, i) => {
    const t = left + i;
    for (let k = 0; k < bins; k++) {
      const angle = (2 * Math.PI * ((t * k) % n)) / n;
      cos[t * bins + k] = w * Math.cos(angle);
      sin[t * bins + k] = -w * Math.sin(angle);
    }
  });
  return { cos, sin };
}

const hertzToMel = (f: number) => 1127.0 * Math.log(1.0 + f / 700.0);

/**
 * Keras's `linear_to_mel_weight_matrix` (HTK mel scale, triangles peaking at 1, the DC bin zeroed):
 * `[spectrogramBins, melBins]`.
 */
export function melWeightMatrix(
  melBins: number,
  spectrogramBins: number,
  samplingRate: number,
  lowerHertz: number,
  upperHertz: number,
): Float32Array {
  const out = new Float32Array(spectrogramBins * melBins);
  const lower = hertzToMel(lowerHertz);
  const step = (hertzToMel(upperHertz) - lower) / (melBins + 1);
  const edge = (i: number) => lower + i * step;
  for (let s = 1; s < spectrogramBins; s++) {
    const mel = hertzToMel(((samplingRate / 2) * s) / (spectrogramBins - 1));
    for (let m = 0; m < melBins; m++) {
      const lowerSlope = (mel - edge(m)) / (edge(m + 1) - edge(m));
      const upperSlope = (edge(m + 2) - mel) / (edge(m + 2) - edge(m + 1));
      out[s * melBins + m] = Math.max(0, Math.min(lowerSlope, upperSlope));
    }
  }
  return out;
}

/** Frames `[batch, frames, n]` of a padded signal `[batch, length]`: `frame f = x[f·stride : f·stride + n]`. */
function frames(g: OnnxBuilder, padded: string, length: number | null, n: number, stride: number): string {
  if (length !== null) {
    const count = 1 + Math.floor((length - n) / stride);
    const idx = Array.from({ length: count * n }, (_, i) => Math.floor(i / n) * stride + (i % n));
    return g.op("Gather", [padded, g.int64s(idx, [count, n])], { axis: attr.i(1) });
  }
  const total = g.op("Gather", [g.op("Shape", [padded]), g.int64s([1], [])], { axis: attr.i(0) });
  const count = g.op("Add", [
    g.op("Div", [g.op("Sub", [total, g.int64s([n], [])]), g.int64s([stride], [])]),
    g.int64s([1], []),
  ]);
  const starts = g.op("Range", [
    g.int64s([0], []),
    g.op("Mul", [count, g.int64s([stride], [])]),
    g.int64s([stride], []),
  ]);
  const offsets = g.int64s(
    Array.from({ length: n }, (_, i) => i),
    [1, n],
  );
  return g.op("Gather", [padded, g.op("Add", [g.unsqueeze(starts, [1]), offsets])], { axis: attr.i(1) });
}

/**
 * `MelSpectrogram(fft_length, sequence_stride, sequence_length, window, sampling_rate, num_mel_bins,
 * min_freq, max_freq, power_to_db, top_db, mag_exp, min_power, ref_power)`: `(batch, samples)` (or one
 * signal `(samples,)`) to `(batch, num_mel_bins, frames)`. The decibel floor `max(dB) - top_db` takes the
 * maximum over the whole tensor, batch included, as Keras's `ops.max(log_spec)` does.
 */
const melSpectrogram: Emitter = (ctx) => {
  const { g } = ctx;
  const x = ctx.inputs[0]!;
  const rank = x.shape.length;
  if (rank !== 1 && rank !== 2) return ctx.unsupported(`MelSpectrogram on rank-${rank} inputs`);
  const n = ctx.config.positiveInt("fft_length");
  const stride = ctx.config.positiveInt("sequence_stride");
  const seqLength = ctx.config.optionalInt("sequence_length") ?? n;
  if (seqLength > n) ctx.unsupported(`sequence_length=${seqLength} > fft_length=${n} (Keras refuses it)`);
  const rate = ctx.config.number("sampling_rate");
  const melBins = ctx.config.positiveInt("num_mel_bins");
  const maxFreq = Number(ctx.config.get("max_freq")) || Math.trunc(rate / 2); // Keras: `max_freq or int(sr / 2)`
  const magExp = ctx.config.number("mag_exp");
  const bins = Math.floor(n / 2) + 1;

  let signal = x.dtype.startsWith("float") ? x.name : g.op("Cast", [x.name], { to: attr.i(1) });
  if (rank === 1) signal = g.unsqueeze(signal, [0]);
  const half = Math.floor(n / 2);
  const padded = g.op("Pad", [signal, g.int64s([0, half, 0, half])], { mode: attr.s("reflect") });
  const length = x.shape.at(-1) ?? null;
  const framed = frames(g, padded, length === null ? null : length + 2 * half, n, stride);
  const { cos, sin } = dftMatrices(windowValues(ctx, seqLength), n);
  const real = g.op("MatMul", [framed, ctx.param("dft_cos", () => ({ dims: [n, bins], data: cos }))]);
  const imag = g.op("MatMul", [framed, ctx.param("dft_sin", () => ({ dims: [n, bins], data: sin }))]);
  const power = g.op("Add", [g.op("Mul", [real, real]), g.op("Mul", [imag, imag])]);
  let spec = power;
  if (magExp !== 2) {
    spec = g.op("Sqrt", [power]);
    if (magExp !== 1) spec = g.op("Pow", [spec, g.float32s([magExp])]);
  }
  const weights = melWeightMatrix(melBins, bins, rate, ctx.config.number("min_freq"), maxFreq);
  let mel = g.op("MatMul", [spec, ctx.param("mel_weights", () => ({ dims: [bins, melBins], data: weights }))]);
  if (ctx.config.bool("power_to_db")) mel = decibels(ctx, mel);
  const out = g.transpose(mel, [0, 2, 1]);
  return [rank === 1 ? g.squeeze(out, [0]) : out];
};

/** Keras's `_dbscale`: `10·log10(max(x, min_power)) - 10·log10(max(|ref_power|, min_power))`, floored at `max - top_db`. */
function decibels(ctx: EmitContext, x: string): string {
  const { g } = ctx;
  const minPower = ctx.config.number("min_power");
  const ref = 10 * Math.log10(Math.max(Math.abs(ctx.config.number("ref_power")), minPower));
  const db = g.op("Mul", [g.op("Log", [g.op("Max", [x, g.float32s([minPower])])]), g.float32s([10 / Math.LN10])]);
  const shifted = ref === 0 ? db : g.op("Sub", [db, g.float32s([ref])]);
  const floor = g.op("Sub", [
    g.op("ReduceMax", [shifted], { keepdims: attr.i(0) }),
    g.float32s([ctx.config.number("top_db")]),
  ]);
  return g.op("Max", [shifted, floor]);
}

export const audioEmitters: Record<string, Emitter> = { MelSpectrogram: melSpectrogram };
