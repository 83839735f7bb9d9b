/**
 * Keras's MelSpectrogram in float64 TypeScript, written from its documented steps (torch.stft with
 * center=True and reflect padding, a periodic window centered in the frame, |STFT|^mag_exp, the HTK
 * filterbank of `linear_to_mel_weight_matrix` built from its linspaces, `_dbscale`), for checking the
 * emitter, which folds the window into DFT matrices instead.
 */

export interface MelConfig {
  fft_length: number;
  sequence_stride: number;
  sequence_length: number;
  window: "hann" | "hamming" | null;
  sampling_rate: number;
  num_mel_bins: number;
  min_freq: number;
  max_freq: number;
  power_to_db: boolean;
  top_db: number;
  mag_exp: number;
  min_power: number;
  ref_power: number;
}

const linspace = (a: number, b: number, n: number) => Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));
const toMel = (f: number) => 1127 * Math.log(1 + f / 700);

function filterbank(c: MelConfig, bins: number): number[][] {
  const freqs = linspace(0, c.sampling_rate / 2, bins).map(toMel);
  const edges = linspace(toMel(c.min_freq), toMel(c.max_freq), c.num_mel_bins + 2);
  return freqs.map((mel, s) =>
    Array.from({ length: c.num_mel_bins }, (_, m) => {
      if (s === 0) return 0; // HTK drops the DC bin
      const [lo, center, hi] = [edges[m]!, edges[m + 1]!, edges[m + 2]!];
      return Math.max(0, Math.min((mel - lo) / (center - lo), (hi - mel) / (hi - center)));
    }),
  );
}

/** `signals` of equal length → `[batch][mel][frame]`. */
export function melSpectrogramReference(signals: number[][], c: MelConfig): number[][][] {
  const n = c.fft_length;
  const pad = Math.floor(n / 2);
  const bins = Math.floor(n / 2) + 1;
  const win = new Array<number>(n).fill(0);
  const left = Math.floor((n - c.sequence_length) / 2);
  for (let i = 0; i < c.sequence_length; i++) {
    const phase = Math.cos((2 * Math.PI * i) / c.sequence_length);
    win[left + i] = c.window === "hann" ? 0.5 - 0.5 * phase : c.window === "hamming" ? 0.54 - 0.46 * phase : 1;
  }
  const bank = filterbank(c, bins);
  const result = signals.map((x) => {
    const len = x.length;
    const at = (i: number) => x[i < 0 ? -i : i >= len ? 2 * (len - 1) - i : i]!;
    const frames = 1 + Math.floor((len + 2 * pad - n) / c.sequence_stride);
    const mel: number[][] = Array.from({ length: c.num_mel_bins }, () => new Array<number>(frames).fill(0));
    for (let f = 0; f < frames; f++) {
      for (let k = 0; k < bins; k++) {
        let re = 0;
        let im = 0;
        for (let t = 0; t < n; t++) {
          const v = at(f * c.sequence_stride + t - pad) * win[t]!;
          re += v * Math.cos((2 * Math.PI * k * t) / n);
          im -= v * Math.sin((2 * Math.PI * k * t) / n);
        }
        const mag = Math.hypot(re, im) ** c.mag_exp;
        for (let m = 0; m < c.num_mel_bins; m++) mel[m]![f]! += mag * bank[k]![m]!;
      }
    }
    return mel;
  });
  if (!c.power_to_db) return result;
  const ref = 10 * Math.log10(Math.max(Math.abs(c.ref_power), c.min_power));
  const db = result.map((b) => b.map((row) => row.map((v) => 10 * Math.log10(Math.max(v, c.min_power)) - ref)));
  const top = Math.max(...db.flat(2));
  return db.map((b) => b.map((row) => row.map((v) => Math.max(v, top - c.top_db))));
}
