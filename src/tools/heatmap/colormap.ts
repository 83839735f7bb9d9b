/**
 * matplotlib's viridis at nine evenly spaced stops (its published 0, 1/8, ..., 1 colors), linearly
 * interpolated: perceptually even, readable in grey and by most color-blind readers. Low values are
 * dark purple, high values yellow.
 */
const VIRIDIS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 73, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [110, 206, 88],
  [253, 231, 37],
];

/** A non-finite value (NaN, ±Infinity) stands out in magenta. */
export const NON_FINITE_COLOR: readonly [number, number, number] = [255, 0, 255];

/** 256 RGB triples, `lut[3 * i + c]`, for values 0..255. */
export const VIRIDIS_LUT: Uint8Array = (() => {
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * (VIRIDIS.length - 1);
    const k = Math.min(VIRIDIS.length - 2, Math.floor(t));
    const f = t - k;
    for (let c = 0; c < 3; c++) lut[3 * i + c] = Math.round(VIRIDIS[k]![c]! * (1 - f) + VIRIDIS[k + 1]![c]! * f);
  }
  return lut;
})();
