import { ARRAY_TYPES, type NdArray, sizeOfShape } from "../../src/formats/npy/array.js";
import { parseNpy } from "../../src/formats/npy/read.js";
import { ShapeError } from "../../src/ir/errors.js";

/** A model input as the session checks it: name, dtype, shape (null = free, e.g. the batch). */
export interface InputSpec {
  name: string;
  dtype: string;
  shape: (number | null)[];
}

/** A free dimension gets this size for random data: a batch of 1, a sequence of 16 steps. */
export function concreteShape(spec: InputSpec): number[] {
  return spec.shape.map((d, i) => d ?? (i === 0 ? 1 : 16));
}

/**
 * Random values of the input's shape and dtype (seeded, so a run is repeatable): floats uniform in
 * [0, 1), integers in [0, 10) (token ids, category indices).
 */
export function randomInput(spec: InputSpec, seed = 1): NdArray {
  const shape = concreteShape(spec);
  const n = sizeOfShape(shape);
  const Ctor = ARRAY_TYPES[spec.dtype] ?? Float32Array;
  const data = new Ctor(n);
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32: a small, fast, repeatable generator.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const integer = !spec.dtype.startsWith("float");
  for (let i = 0; i < n; i++) {
    const v = integer ? Math.floor(next() * 10) : next();
    (data as unknown as (number | bigint)[])[i] =
      data instanceof BigInt64Array || data instanceof BigUint64Array ? BigInt(v) : v;
  }
  return { dtype: ARRAY_TYPES[spec.dtype] ? spec.dtype : "float32", shape, data };
}

/** A .npy file's array, as numpy.save wrote it (the session checks its shape and dtype against the input). */
export function npyInput(bytes: Uint8Array, file: string): NdArray {
  return parseNpy(bytes, file);
}

/** How an image's 0..255 pixel values are scaled for the model. */
export type PixelScale = "0-255" | "0-1" | "-1-1";

/**
 * An image file as a batch of one `(1, H, W, C)` float32 input: drawn at the input's height and width
 * (its own size where those are free), RGB for 3 channels, luminance for 1, values scaled as asked.
 */
export async function imageInput(file: Blob, spec: InputSpec, scale: PixelScale): Promise<NdArray> {
  const [, h, w, c] = spec.shape;
  if (spec.shape.length !== 4 || (c !== 1 && c !== 3 && c !== 4)) {
    throw new ShapeError(
      `input '${spec.name}' does not take images: expected shape (batch, height, width, 1 or 3 channels). Received: (${spec.shape.map((d) => d ?? "None").join(", ")})`,
    );
  }
  const bitmap = await createImageBitmap(file);
  const height = h ?? bitmap.height;
  const width = w ?? bitmap.width;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext("2d")!;
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const channels = c!;
  const data = new Float32Array(height * width * channels);
  const [mul, add] = scale === "0-1" ? [1 / 255, 0] : scale === "-1-1" ? [2 / 255, -1] : [1, 0];
  for (let p = 0; p < height * width; p++) {
    const [r, g, b, a] = [rgba[p * 4]!, rgba[p * 4 + 1]!, rgba[p * 4 + 2]!, rgba[p * 4 + 3]!];
    if (channels === 1) data[p] = (0.299 * r + 0.587 * g + 0.114 * b) * mul + add;
    else {
      data[p * channels] = r * mul + add;
      data[p * channels + 1] = g * mul + add;
      data[p * channels + 2] = b * mul + add;
      if (channels === 4) data[p * channels + 3] = a * mul + add;
    }
  }
  return { dtype: "float32", shape: [1, height, width, channels], data };
}
