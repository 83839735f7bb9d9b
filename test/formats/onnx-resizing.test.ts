/**
 * The Resizing and RandomCrop emitters beyond the fixtures' defaults: every interpolation, antialiasing,
 * cropping and padding to the aspect ratio, channels_first, integer images and a single image, against
 * torch's interpolate written out in TypeScript (test/support/resize-reference.ts) with Keras's crop and
 * pad boxes computed by hand; and the hyperparameters that cannot be exported, refused by name.
 */
import { afterAll, describe, expect, it } from "vitest";
import { OrtSession } from "../../src/exec/ort/session.js";
import type { NdArray } from "../../src/formats/npy/array.js";
import { checkOnnxModel } from "../../src/formats/onnx/check/check.js";
import { exportOnnx } from "../../src/formats/onnx/convert.js";
import { UnsupportedLayerError } from "../../src/ir/errors.js";
import { mismatch } from "../support/allclose.js";
import { random, sequential } from "../support/keras-json-models.js";
import { type Mode, interpolateReference } from "../support/resize-reference.js";

const sessions: OrtSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.release();
});

const TOLERANCE = { atol: 1e-5, rtol: 1e-5 };

function image(shape: number[], seed: number, dtype = "float32"): NdArray {
  const rnd = random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: n }, () => (dtype === "float32" ? 2 * rnd() : Math.round(100 * rnd() + 100)));
  return { dtype, shape, data: dtype === "float32" ? Float32Array.from(values) : Int32Array.from(values) };
}

async function resize(inputShape: number[], config: Record<string, unknown>, x: NdArray, opset = 17) {
  const dtype = x.dtype === "float32" ? "float32" : x.dtype;
  const g = sequential(inputShape, [["Resizing", { data_format: "channels_last", ...config }]], dtype);
  const { model } = exportOnnx(g, { opset });
  expect(checkOnnxModel(model)).toEqual([]);
  const session = await OrtSession.fromModel(model);
  sessions.push(session);
  return (await session.run([x]))[0]!;
}

const asArray = (r: { shape: number[]; data: Float64Array }): NdArray => ({
  dtype: "float32",
  shape: r.shape,
  data: Float32Array.from(r.data),
});

describe("Resizing against torch's interpolate", () => {
  const cases: [Mode, [number, number], [number, number]][] = [
    ["bilinear", [7, 5], [3, 9]],
    ["bilinear", [4, 6], [10, 4]],
    ["nearest", [7, 5], [3, 9]],
    ["nearest", [3, 4], [7, 11]],
    ["bicubic", [7, 5], [3, 9]],
    ["bicubic", [5, 6], [9, 4]],
  ];
  it.for(cases)("%s from %j to %j", async ([mode, [h, w], [oh, ow]]) => {
    const x = image([2, h, w, 3], h * 10 + w);
    const got = await resize([h, w, 3], { height: oh, width: ow, interpolation: mode }, x);
    const want = interpolateReference(x.data, x.shape, [oh, ow], mode);
    expect(mismatch(got, asArray(want), TOLERANCE)).toBeNull();
  });

  it.for([
    ["bilinear", [12, 9], [5, 4]],
    ["bilinear", [6, 5], [3, 8]],
    ["bicubic", [12, 9], [5, 4]],
  ] as [Mode, [number, number], [number, number]][])(
    "%s with antialias from %j to %j (opset 18)",
    async ([mode, [h, w], [oh, ow]]) => {
      const x = image([2, h, w, 2], 5);
      const got = await resize([h, w, 2], { height: oh, width: ow, interpolation: mode, antialias: true }, x, 18);
      const want = interpolateReference(x.data, x.shape, [oh, ow], mode, { antialias: true });
      expect(mismatch(got, asArray(want), TOLERANCE)).toBeNull();
    },
  );

  it("crops to the aspect ratio: the largest centered window, then resizes (channels_first)", async () => {
    const x = image([2, 3, 9, 4], 11);
    const cfg = { height: 3, width: 2, crop_to_aspect_ratio: true, data_format: "channels_first" };
    const got = await resize([3, 9, 4], cfg, x);
    // Keras: crop_height = min(9, int(4·3/2)) = 6, crop_width = min(4, int(9·2/3)) = 4; starts (1, 0).
    const crop = new Float64Array(2 * 3 * 6 * 4);
    for (let b = 0; b < 2; b++)
      for (let c = 0; c < 3; c++)
        for (let y = 0; y < 6; y++)
          for (let xx = 0; xx < 4; xx++)
            crop[((b * 3 + c) * 6 + y) * 4 + xx] = x.data[((b * 3 + c) * 9 + y + 1) * 4 + xx] as number;
    const want = interpolateReference(crop, [2, 3, 6, 4], [3, 2], "bilinear", { channelsFirst: true });
    expect(mismatch(got, asArray(want), TOLERANCE)).toBeNull();
  });

  it("pads to the aspect ratio with fill_value bands on both sides of the short axis", async () => {
    const x = image([1, 4, 7, 2], 12);
    const got = await resize([4, 7, 2], { height: 6, width: 5, pad_to_aspect_ratio: true, fill_value: 3 }, x);
    // Keras: pad_height = max(4, int(7·6/5)) = 8, so int((8 - 4) / 2) = 2 rows of 3 above and below.
    const padded = new Float64Array(8 * 7 * 2).fill(3);
    for (let y = 0; y < 4; y++) for (let i = 0; i < 7 * 2; i++) padded[(y + 2) * 14 + i] = x.data[y * 14 + i] as number;
    const want = interpolateReference(padded, [1, 8, 7, 2], [6, 5], "bilinear");
    expect(mismatch(got, asArray(want), TOLERANCE)).toBeNull();
  });

  it("resizes integer images as floats, then rounds (halves to even, as torch.round)", async () => {
    // Doubling the size makes every weight a multiple of 1/4: float32 and the reference agree exactly on ties.
    const x = image([2, 4, 3, 1], 13, "int32");
    const got = await resize([4, 3, 1], { height: 8, width: 6 }, x);
    const want = interpolateReference(Float64Array.from(x.data as Int32Array), x.shape, [8, 6], "bilinear");
    const roundHalfEven = (v: number) => (Math.abs(v % 1) === 0.5 ? 2 * Math.round(v / 2) : Math.round(v));
    expect(want.data.some((v) => Math.abs(v % 1) === 0.5)).toBe(true);
    expect(mismatch(got, asArray({ ...want, data: want.data.map(roundHalfEven) }), TOLERANCE)).toBeNull();
  });

  it("a rank-3 input is one image whose first axis is its height, as Keras decides", async () => {
    const x = image([6, 5, 2], 14);
    const got = await resize([5, 2], { height: 4, width: 3 }, x);
    const want = interpolateReference(x.data, [1, 6, 5, 2], [4, 3], "bilinear");
    expect(mismatch(got, asArray({ ...want, shape: [4, 3, 2] }), TOLERANCE)).toBeNull();
  });
});

describe("what cannot be exported is refused, naming the layer and the value", () => {
  const refusal = (inputShape: number[], layer: [string, Record<string, unknown>], opset = 17) => {
    try {
      exportOnnx(sequential(inputShape, [layer]), { opset });
    } catch (e) {
      expect(e).toBeInstanceOf(UnsupportedLayerError);
      return (e as Error).message;
    }
    return "exported";
  };

  it("Resizing: lanczos, antialias below opset 18", () => {
    expect(refusal([8, 8, 3], ["Resizing", { height: 4, width: 4, interpolation: "lanczos3" }])).toMatch(
      /Resizing 'l0'.*interpolation='lanczos3'/,
    );
    expect(refusal([8, 8, 3], ["Resizing", { height: 4, width: 4, antialias: true }], 17)).toMatch(
      /Resizing 'l0'.*antialias=True .*opset 18/,
    );
  });

  it("RandomCrop: identity at inference where Keras's declared shape agrees, refused elsewhere", async () => {
    const g = sequential([4, 3, 2], [["RandomCrop", { height: 4, width: 3 }]]);
    const session = await OrtSession.fromModel(exportOnnx(g).model);
    sessions.push(session);
    const x = image([2, 4, 3, 2], 15);
    expect(mismatch((await session.run([x]))[0]!, x, { atol: 0, rtol: 0 })).toBeNull();
    expect(refusal([6, 5, 2], ["RandomCrop", { height: 4, width: 3 }])).toMatch(
      /RandomCrop 'l0'.*images of size 6×5 .*uncropped at inference while declaring 4×3/,
    );
  });
});
