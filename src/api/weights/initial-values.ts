import { FormatError } from "../../ir/errors.js";

/** A serialized Keras initializer (`{"class_name", "config"}`), as layer configs hold them. */
export interface InitializerJson {
  class_name: string;
  config: Record<string, unknown>;
}

/** mulberry32: a small seeded generator, so a weight's initial values can be made again identically. */
function uniformSource(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normalSource(seed: number): () => number {
  const u = uniformSource(seed);
  return () => Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** Keras's `compute_fans(shape)` (keras/src/initializers/random_initializers.py). */
export function computeFans(shape: number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0]!, shape[0]!];
  if (shape.length === 2) return [shape[0]!, shape[1]!];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape.at(-2)! * receptive, shape.at(-1)! * receptive];
}

const VARIANCE_SCALING: Record<string, { scale: number; mode: string; distribution: string }> = {
  GlorotUniform: { scale: 1, mode: "fan_avg", distribution: "uniform" },
  GlorotNormal: { scale: 1, mode: "fan_avg", distribution: "truncated_normal" },
  LecunUniform: { scale: 1, mode: "fan_in", distribution: "uniform" },
  LecunNormal: { scale: 1, mode: "fan_in", distribution: "truncated_normal" },
  HeUniform: { scale: 2, mode: "fan_in", distribution: "uniform" },
  HeNormal: { scale: 2, mode: "fan_in", distribution: "truncated_normal" },
};

const num = (v: unknown, d: number) => (typeof v === "number" ? v : d);

/**
 * Values drawn the way a Keras initializer draws them (same distribution, bounds and scaling; not
 * Keras's random stream), from `seed`, so the same seed gives the same values.
 */
export function initialValues(init: InitializerJson, shape: number[], seed: number, where: string): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  const c = init.config ?? {};
  const uniform = uniformSource(seed);
  const normal = normalSource(seed);
  const truncated = (mean: number, stddev: number) => {
    for (let i = 0; i < size; i++) {
      let x: number;
      do x = normal();
      while (Math.abs(x) > 2);
      out[i] = mean + stddev * x;
    }
  };
  const cls = init.class_name;
  const vs =
    VARIANCE_SCALING[cls] ??
    (cls === "VarianceScaling"
      ? {
          scale: num(c.scale, 1),
          mode: String(c.mode ?? "fan_in"),
          distribution: String(c.distribution ?? "truncated_normal"),
        }
      : null);
  if (vs) {
    const [fanIn, fanOut] = computeFans(shape);
    const fan = vs.mode === "fan_in" ? fanIn : vs.mode === "fan_out" ? fanOut : (fanIn + fanOut) / 2;
    const scale = vs.scale / Math.max(1, fan);
    if (vs.distribution === "uniform") {
      const limit = Math.sqrt(3 * scale);
      for (let i = 0; i < size; i++) out[i] = (uniform() * 2 - 1) * limit;
    } else if (vs.distribution === "untruncated_normal") {
      for (let i = 0; i < size; i++) out[i] = normal() * Math.sqrt(scale);
    } else truncated(0, Math.sqrt(scale) / 0.87962566103423978);
    return out;
  }
  switch (cls) {
    case "Zeros":
      return out;
    case "Ones":
      return out.fill(1);
    case "Constant":
      return out.fill(num(c.value, 0));
    case "RandomNormal":
      for (let i = 0; i < size; i++) out[i] = num(c.mean, 0) + num(c.stddev, 0.05) * normal();
      return out;
    case "TruncatedNormal":
      truncated(num(c.mean, 0), num(c.stddev, 0.05));
      return out;
    case "RandomUniform": {
      const lo = num(c.minval, -0.05);
      const hi = num(c.maxval, 0.05);
      for (let i = 0; i < size; i++) out[i] = lo + (hi - lo) * uniform();
      return out;
    }
    case "Identity":
      if (shape.length !== 2)
        throw new FormatError(
          `${where}: the Identity initializer needs a 2-D weight. Received: shape (${shape.join(", ")})`,
        );
      for (let i = 0; i < Math.min(shape[0]!, shape[1]!); i++) out[i * shape[1]! + i] = 1;
      return out;
    case "Orthogonal":
      return orthogonal(shape, num(c.gain, 1), normal);
    default:
      throw new FormatError(
        `${where}: cannot draw initial values for initializer '${cls}'. Received: ${JSON.stringify(init)}`,
      );
  }
}

/** Keras's Orthogonal: a (rows × cols) matrix with orthonormal rows or columns (Gram–Schmidt on normals). */
function orthogonal(shape: number[], gain: number, normal: () => number): Float32Array {
  const cols = shape.at(-1) ?? 1;
  const rows = shape.reduce((a, b) => a * b, 1) / Math.max(1, cols);
  const tall = rows >= cols;
  const [n, k] = tall ? [rows, cols] : [cols, rows];
  const q = Array.from({ length: k }, () => Float64Array.from({ length: n }, normal));
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < j; i++) {
      let dot = 0;
      for (let t = 0; t < n; t++) dot += q[j]![t]! * q[i]![t]!;
      for (let t = 0; t < n; t++) q[j]![t]! -= dot * q[i]![t]!;
    }
    let sq = 0;
    for (let t = 0; t < n; t++) sq += q[j]![t]! ** 2;
    const norm = Math.sqrt(sq) || 1;
    for (let t = 0; t < n; t++) q[j]![t]! /= norm;
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let col = 0; col < cols; col++) out[r * cols + col] = gain * (tall ? q[col]![r]! : q[r]![col]!);
  }
  return out;
}
