import { encode } from "fast-png";
import type { NdArray } from "../../formats/npy/array.js";
import { activationGrid, type HeatmapOptions, type RgbImage } from "./grid.js";

/** An RGB picture as PNG bytes (fast-png: pure JavaScript, zlib by fflate). */
export function encodeRgbPng(image: RgbImage): Uint8Array {
  return encode({ width: image.width, height: image.height, data: image.data, channels: 3, depth: 8 });
}

/** A layer's activations as a PNG heatmap grid (see activationGrid). */
export function activationPng(array: NdArray, options: HeatmapOptions = {}, where = "activation"): Uint8Array {
  return encodeRgbPng(activationGrid(array, options, where));
}
