import { join } from "node:path";
import { decode } from "fast-png";
import { describe, expect, it } from "vitest";
import { type NdArray, ndarray, readNpyFile } from "../../../src/formats/npy/index.js";
import { KerasGraphError } from "../../../src/ir/errors.js";
import { VIRIDIS_LUT, activationGrid, activationPng, type RgbImage } from "../../../src/tools/heatmap/index.js";
import { float16ToNumber } from "../../../src/tools/heatmap/sample-values.js";
import { FIXTURES } from "../../fixture-files.js";

const ACTIVATIONS = join(FIXTURES, "keras3/seed");
const pixel = (img: RgbImage, x: number, y: number) => [
  ...img.data.subarray((y * img.width + x) * 3, (y * img.width + x) * 3 + 3),
];
const viridis = (v: number, lo: number, hi: number) => {
  const i = hi > lo ? Math.round(((v - lo) / (hi - lo)) * 255) : 0;
  return [...VIRIDIS_LUT.subarray(i * 3, i * 3 + 3)];
};
const range = (xs: number[]) => [Math.min(...xs), Math.max(...xs)] as const;
const f32 = (shape: number[], f: (i: number) => number): NdArray =>
  ndarray(
    "float32",
    shape,
    Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => f(i)),
  );

describe("activationGrid on Keras's own activations", () => {
  it("a conv map (batch, 30, 30, 32): 32 tiles of 60 px (30 px scaled 2x) in a 6x6 grid, each on its own range", async () => {
    const a = await readNpyFile(join(ACTIVATIONS, "toy_resnet/activations/conv2d.npy"));
    expect(a.shape).toEqual([3, 30, 30, 32]);
    const img = activationGrid(a);
    expect([img.width, img.height]).toEqual([6 * 60 + 7 * 2, 6 * 60 + 7 * 2]);
    const values = a.data as Float32Array;
    for (const ch of [0, 7, 31]) {
      const channel = Array.from({ length: 900 }, (_, i) => values[i * 32 + ch]!);
      const [lo, hi] = range(channel);
      const [x0, y0] = [2 + (ch % 6) * 62, 2 + Math.floor(ch / 6) * 62];
      for (const [y, x] of [
        [0, 0],
        [13, 29],
        [29, 5],
      ] as const) {
        const expected = viridis(channel[y * 30 + x]!, lo, hi);
        // Every one of the 2x2 pixels of the value.
        for (const [dy, dx] of [
          [0, 0],
          [1, 1],
        ])
          expect(pixel(img, x0 + 2 * x + dx!, y0 + 2 * y + dy!)).toEqual(expected);
      }
    }
    // The gaps and the empty cells after channel 31 stay white.
    expect(pixel(img, 0, 0)).toEqual([255, 255, 255]);
    expect(pixel(img, img.width - 3, img.height - 3)).toEqual([255, 255, 255]);
  });

  it("a vector (batch, 256): a strip of 16 px cells, 64 to a row, on one range", async () => {
    const a = await readNpyFile(join(ACTIVATIONS, "toy_resnet/activations/dense.npy"));
    const img = activationGrid(a);
    expect([img.width, img.height]).toEqual([64 * 16 + 4, 4 * 16 + 5 * 2]);
    const first = Array.from((a.data as Float32Array).subarray(0, 256));
    const [lo, hi] = range(first);
    for (const i of [0, 63, 64, 200, 255]) {
      expect(pixel(img, 2 + (i % 64) * 16 + 8, 2 + Math.floor(i / 64) * 18 + 8)).toEqual(viridis(first[i]!, lo, hi));
    }
  });

  it("a sequence (batch, 8 steps, 32 channels): one picture, channels down, steps across, each axis scaled up", async () => {
    const a = await readNpyFile(join(ACTIVATIONS, "mixed_rnn_in_functional/activations/conv1d.npy"));
    expect(a.shape).toEqual([16, 8, 32]);
    const img = activationGrid(a, { sample: 1 });
    expect([img.width, img.height]).toEqual([8 * 16 + 4, 32 * 8 + 4]);
    const sample = Array.from((a.data as Float32Array).subarray(256, 512));
    const [lo, hi] = range(sample);
    for (const [t, c] of [
      [0, 0],
      [7, 31],
      [3, 17],
    ] as const) {
      expect(pixel(img, 2 + t * 16 + 5, 2 + c * 8 + 3)).toEqual(viridis(sample[t * 32 + c]!, lo, hi));
    }
  });

  it("the PNG decodes to the same picture", async () => {
    const a = await readNpyFile(join(ACTIVATIONS, "toy_resnet/activations/max_pooling2d.npy"));
    const png = decode(activationPng(a));
    const img = activationGrid(a);
    expect([png.width, png.height, png.channels, png.depth]).toEqual([img.width, img.height, 3, 8]);
    expect(Buffer.from(png.data as Uint8Array).equals(Buffer.from(img.data))).toBe(true);
  });
});

describe("activationGrid corners", () => {
  it("a 3-D conv map shows the middle depth slice", () => {
    // (1, 3, 2, 2, 1): value = depth index, so the middle slice is all 1s in a 0..2 array: a constant tile.
    const a = f32([1, 3, 2, 2, 1], (i) => Math.floor(i / 4));
    const img = activationGrid(a);
    expect(pixel(img, 2, 2)).toEqual(viridis(0, 0, 0));
    const b = f32([1, 3, 2, 2, 1], (i) => (Math.floor(i / 4) === 1 ? i % 4 : 100));
    const tile = activationGrid(b);
    expect(pixel(tile, 2, 2)).toEqual(viridis(0, 0, 3));
    expect(pixel(tile, tile.width - 3, tile.height - 3)).toEqual(viridis(3, 0, 3));
  });

  it("non-finite values are magenta and do not stretch the range", () => {
    const a = f32([1, 4], (i) => [0, NaN, 1, Infinity][i]!);
    const img = activationGrid(a);
    expect(pixel(img, 2 + 16 + 8, 10)).toEqual([255, 0, 255]);
    expect(pixel(img, 2 + 32 + 8, 10)).toEqual(viridis(1, 0, 1));
  });

  it("a large map is sampled down to the width asked for", () => {
    const img = activationGrid(
      f32([1, 10, 3000, 1], (i) => i),
      { maxWidth: 1000 },
    );
    expect(img.width).toBeLessThanOrEqual(1000);
    // 996 px are left inside the gaps: every 4th of the 3000 columns is kept.
    expect(img.width).toBe(Math.ceil(3000 / 4) + 4);
  });

  it("float16 arrays (kept as bits) are read as numbers", () => {
    expect([0x3c00, 0xc000, 0x7c00, 0x0001, 0x0000].map(float16ToNumber)).toEqual([1, -2, Infinity, 2 ** -24, 0]);
    expect(Number.isNaN(float16ToNumber(0x7e00))).toBe(true);
    const a = ndarray("float16", [1, 2], Uint16Array.from([0x0000, 0x3c00]));
    const img = activationGrid(a);
    expect(pixel(img, 2 + 16 + 8, 10)).toEqual(viridis(1, 0, 1));
  });

  it("a sample past the batch names the layer and what was asked", () => {
    const a = f32([2, 4], (i) => i);
    expect(() => activationGrid(a, { sample: 2 }, "layer 'dense'")).toThrow(KerasGraphError);
    expect(() => activationGrid(a, { sample: 2 }, "layer 'dense'")).toThrow(
      "layer 'dense': there is no sample 2 in a batch of 2. Received: sample=2",
    );
  });
});
