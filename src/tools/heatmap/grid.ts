import type { NdArray } from "../../formats/npy/array.js";
import { NON_FINITE_COLOR, VIRIDIS_LUT } from "./colormap.js";
import { sampleValues } from "./sample-values.js";

/** An 8-bit RGB picture, row by row. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface HeatmapOptions {
  /** Which sample of the batch to draw (default 0). */
  sample?: number;
  /** Widest picture to make, in pixels (default 2048): larger maps are sampled down to fit. */
  maxWidth?: number;
}

const GAP = 2;
const BACKGROUND = 255;
/** Channel tiles smaller than this many pixels on their long side are scaled up by a whole factor. */
const MIN_TILE = 64;
/** A sequence's picture is scaled up to about this many pixels along each axis. */
const MIN_MAP = 256;
const MAX_UP = 16;
/** A vector's strip: square cells of this many pixels, this many to a row. */
const CELL = 16;
const CELLS_PER_ROW = 64;

/**
 * One layer's activations as a picture, values colored with viridis (dark = low, yellow = high):
 * - a conv map `(batch, H, W, C)` (channels last, as Keras's default data_format): one H×W tile per
 *   channel in a near-square grid, each tile scaled to its own min..max;
 * - a sequence `(batch, T, C)`: one picture, a row per channel and a column per step;
 * - a vector `(batch, C)`: a strip of cells, 64 to a row;
 * - more spatial axes `(batch, D, ..., H, W, C)`: the middle slice of the leading ones.
 * Sequences and vectors share one scale. Tiny maps are scaled up, wide ones sampled down (nearest),
 * so every picture is legible and at most `maxWidth` wide.
 */
export function activationGrid(array: NdArray, options: HeatmapOptions = {}, where = "activation"): RgbImage {
  const { shape, values } = sampleValues(array, options.sample ?? 0, where);
  const maxWidth = options.maxWidth ?? 2048;
  if (shape.length <= 1) return vectorStrip(values);
  if (shape.length === 2) {
    const [steps, channels] = shape as [number, number];
    // value (t, c) at t * C + c; drawn with channels down and steps across.
    return singleMap(values, 0, channels, steps, 1, channels, maxWidth);
  }
  const [h, w, c] = shape.slice(-3) as [number, number, number];
  return channelTiles(values, middleSliceOffset(shape), h, w, c, maxWidth);
}

/** Where the middle slice of every axis before the last three starts, in row-major order. */
function middleSliceOffset(shape: number[]): number {
  let offset = 0;
  let stride = shape.slice(-3).reduce((a, b) => a * b, 1);
  for (let i = shape.length - 4; i >= 0; i--) {
    offset += Math.floor(shape[i]! / 2) * stride;
    stride *= shape[i]!;
  }
  return offset;
}

interface Scale {
  up: number;
  down: number;
}

/**
 * How `n` values along an axis are drawn: each repeated `up` times (whole factors, so that the
 * picture is about `min` pixels, at most 16 per value) or one in every `down` kept to fit `max`.
 */
function fit(n: number, min: number, max: number): Scale {
  if (n <= 0) return { up: 1, down: 1 };
  if (n > max) return { up: 1, down: Math.ceil(n / max) };
  return { up: Math.max(1, Math.min(Math.floor(min / n), Math.floor(max / n), MAX_UP)), down: 1 };
}

const drawn = (n: number, s: Scale) => (s.down > 1 ? Math.ceil(n / s.down) : n * s.up);

function channelTiles(
  values: Float64Array,
  offset: number,
  h: number,
  w: number,
  c: number,
  maxWidth: number,
): RgbImage {
  const cols = Math.max(1, Math.ceil(Math.sqrt(c)));
  const rows = Math.max(1, Math.ceil(c / cols));
  const side = fit(Math.max(h, w), MIN_TILE, Math.max(1, Math.floor((maxWidth - GAP * (cols + 1)) / cols)));
  const scale = { y: side, x: side };
  const [th, tw] = [drawn(h, side), drawn(w, side)];
  const image = blank(cols * tw + GAP * (cols + 1), rows * th + GAP * (rows + 1));
  for (let ch = 0; ch < c; ch++) {
    const x0 = GAP + (ch % cols) * (tw + GAP);
    const y0 = GAP + Math.floor(ch / cols) * (th + GAP);
    // value (y, x, ch) at offset + (y * W + x) * C + ch.
    paint(image, values, offset + ch, h, w, w * c, c, x0, y0, scale);
  }
  return image;
}

function singleMap(
  values: Float64Array,
  offset: number,
  h: number,
  w: number,
  rowStride: number,
  colStride: number,
  maxWidth: number,
): RgbImage {
  // Each axis on its own scale: a sequence of 8 steps over 32 channels still gets a readable picture.
  const scale = { y: fit(h, MIN_MAP, maxWidth - 2 * GAP), x: fit(w, MIN_MAP, maxWidth - 2 * GAP) };
  const image = blank(drawn(w, scale.x) + 2 * GAP, drawn(h, scale.y) + 2 * GAP);
  paint(image, values, offset, h, w, rowStride, colStride, GAP, GAP, scale);
  return image;
}

function vectorStrip(values: Float64Array): RgbImage {
  const n = Math.max(1, values.length);
  const perRow = Math.min(n, CELLS_PER_ROW);
  const rows = Math.ceil(n / perRow);
  const image = blank(perRow * CELL + 2 * GAP, rows * CELL + (rows + 1) * GAP);
  const [lo, hi] = finiteRange(values, 0, values.length, 1);
  for (let i = 0; i < values.length; i++) {
    const color = colorOf(values[i]!, lo, hi);
    const x0 = GAP + (i % perRow) * CELL;
    const y0 = GAP + Math.floor(i / perRow) * (CELL + GAP);
    for (let y = 0; y < CELL; y++) for (let x = 0; x < CELL; x++) setPixel(image, x0 + x, y0 + y, color);
  }
  return image;
}

/** Draws the h×w map whose value (y, x) is at `offset + y * rowStride + x * colStride`, on its own min..max. */
function paint(
  image: RgbImage,
  values: Float64Array,
  offset: number,
  h: number,
  w: number,
  rowStride: number,
  colStride: number,
  x0: number,
  y0: number,
  scale: { x: Scale; y: Scale },
): void {
  let lo = Infinity;
  let hi = -Infinity;
  for (let y = 0; y < h; y++) {
    const [a, b] = finiteRange(values, offset + y * rowStride, w, colStride);
    lo = Math.min(lo, a);
    hi = Math.max(hi, b);
  }
  const [dh, dw] = [drawn(h, scale.y), drawn(w, scale.x)];
  const source = (i: number, s: Scale) => (s.down > 1 ? i * s.down : Math.floor(i / s.up));
  for (let y = 0; y < dh; y++) {
    const row = offset + source(y, scale.y) * rowStride;
    for (let x = 0; x < dw; x++) {
      setPixel(image, x0 + x, y0 + y, colorOf(values[row + source(x, scale.x) * colStride]!, lo, hi));
    }
  }
}

function finiteRange(values: Float64Array, start: number, count: number, stride: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < count; i++) {
    const v = values[start + i * stride]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/** The color of `v` on the scale lo..hi; a constant map is all the low color. */
function colorOf(v: number, lo: number, hi: number): readonly [number, number, number] | number {
  if (!Number.isFinite(v)) return NON_FINITE_COLOR;
  return hi > lo ? Math.round(((v - lo) / (hi - lo)) * 255) : 0;
}

function blank(width: number, height: number): RgbImage {
  return { width, height, data: new Uint8Array(width * height * 3).fill(BACKGROUND) };
}

function setPixel(image: RgbImage, x: number, y: number, color: readonly [number, number, number] | number): void {
  const i = (y * image.width + x) * 3;
  const d = image.data;
  if (typeof color === "number") {
    d[i] = VIRIDIS_LUT[color * 3]!;
    d[i + 1] = VIRIDIS_LUT[color * 3 + 1]!;
    d[i + 2] = VIRIDIS_LUT[color * 3 + 2]!;
  } else {
    d[i] = color[0];
    d[i + 1] = color[1];
    d[i + 2] = color[2];
  }
}
