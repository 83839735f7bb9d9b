/**
 * Keras's recurrent cells written out in plain TypeScript (keras/src/layers/rnn/{lstm,gru,simple_rnn}.py),
 * over (batch, time, features) arrays: the reference the ONNX LSTM/GRU/RNN translations are checked
 * against, gate order and all.
 */
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

function matvec(
  x: Float32Array | number[],
  w: Float32Array,
  rows: number,
  cols: number,
  col0: number,
  n: number,
): number[] {
  const out = new Array<number>(n).fill(0);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += x[r]! * w[r * cols + col0 + j]!;
    out[j] = s;
  }
  return out;
}

/**
 * Keras's masking in `backend.rnn`: at a masked step the states stay and the output is the previous
 * step's (zeros at first), or zeros with `zero_output_for_mask` (which Bidirectional forces).
 */
export interface Masking {
  /** keep[n][t]: step t of row n is unmasked. */
  keep: boolean[][];
  zeroOutput: boolean;
}

export interface Run {
  /** Every step's output in the order Keras produced them. */
  sequence: number[][][];
  last: number[][];
}

/** LSTM: kernel (in, 4H) and recurrent_kernel (H, 4H) in gate order i, f, c, o; bias (4H). */
export function lstmReference(
  x: Float32Array,
  [b, t, f]: number[],
  w: { kernel: Float32Array; recurrent: Float32Array; bias: Float32Array },
  h: number,
  backwards = false,
  mask?: Masking,
): Run {
  const sequence: number[][][] = [];
  const last: number[][] = [];
  for (let n = 0; n < b; n++) {
    let hs = new Array<number>(h).fill(0);
    let cs = new Array<number>(h).fill(0);
    const outs: number[][] = [];
    for (let s = 0; s < t; s++) {
      const step = backwards ? t - 1 - s : s;
      if (mask && !mask.keep[n]![step]) {
        outs.push(mask.zeroOutput ? new Array<number>(h).fill(0) : (outs.at(-1) ?? new Array<number>(h).fill(0)));
        continue;
      }
      const xt = x.subarray((n * t + step) * f, (n * t + step + 1) * f);
      const z = matvec(xt, w.kernel, f, 4 * h, 0, 4 * h).map(
        (v, j) => v + matvec(hs, w.recurrent, h, 4 * h, 0, 4 * h)[j]! + w.bias[j]!,
      );
      const gate = (k: number) => z.slice(k * h, (k + 1) * h);
      const i = gate(0).map(sigmoid);
      const fg = gate(1).map(sigmoid);
      const c = gate(2).map(Math.tanh);
      const o = gate(3).map(sigmoid);
      cs = cs.map((cv, j) => fg[j]! * cv + i[j]! * c[j]!);
      hs = o.map((ov, j) => ov * Math.tanh(cs[j]!));
      outs.push(hs);
    }
    sequence.push(outs);
    last.push(hs);
  }
  return { sequence, last };
}

/** GRU: gates z, r, h; reset_after=True takes bias (2, 3H) = input, recurrent. */
export function gruReference(
  x: Float32Array,
  [b, t, f]: number[],
  w: { kernel: Float32Array; recurrent: Float32Array; bias: Float32Array },
  h: number,
  resetAfter: boolean,
  mask?: Masking,
): Run {
  const sequence: number[][][] = [];
  const last: number[][] = [];
  const inBias = w.bias.subarray(0, 3 * h);
  const recBias = resetAfter ? w.bias.subarray(3 * h) : new Float32Array(3 * h);
  for (let n = 0; n < b; n++) {
    let hs = new Array<number>(h).fill(0);
    const outs: number[][] = [];
    for (let s = 0; s < t; s++) {
      if (mask && !mask.keep[n]![s]) {
        outs.push(mask.zeroOutput ? new Array<number>(h).fill(0) : (outs.at(-1) ?? new Array<number>(h).fill(0)));
        continue;
      }
      const xt = x.subarray((n * t + s) * f, (n * t + s + 1) * f);
      const xz = matvec(xt, w.kernel, f, 3 * h, 0, 3 * h).map((v, j) => v + inBias[j]!);
      const hzr = matvec(hs, w.recurrent, h, 3 * h, 0, 2 * h).map((v, j) => v + recBias[j]!);
      const z = hzr.slice(0, h).map((v, j) => sigmoid(xz[j]! + v));
      const r = hzr.slice(h).map((v, j) => sigmoid(xz[h + j]! + v));
      let hh: number[];
      if (resetAfter) {
        const rec = matvec(hs, w.recurrent, h, 3 * h, 2 * h, h).map((v, j) => v + recBias[2 * h + j]!);
        hh = rec.map((v, j) => Math.tanh(xz[2 * h + j]! + r[j]! * v));
      } else {
        const rh = hs.map((v, j) => r[j]! * v);
        hh = matvec(rh, w.recurrent, h, 3 * h, 2 * h, h).map((v, j) => Math.tanh(xz[2 * h + j]! + v));
      }
      hs = hs.map((hv, j) => z[j]! * hv + (1 - z[j]!) * hh[j]!);
      outs.push(hs);
    }
    sequence.push(outs);
    last.push(hs);
  }
  return { sequence, last };
}
