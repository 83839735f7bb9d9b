import type { NdArray } from "../../src/formats/npy/array.js";
import { activationGrid } from "../../src/tools/heatmap/grid.js";
import { sampleValues } from "../../src/tools/heatmap/sample-values.js";
import { barChart } from "./canvas-charts.js";
import { npyDownload } from "./downloads.js";
import { el } from "./element.js";
import { formatValue, valueStats } from "./value-stats.js";

/**
 * One layer output of the first sample, drawn as `kerasgraph extract --png` draws it: a conv map as a
 * grid of viridis tiles (one per channel), a sequence as one map, a vector as a bar chart; with its
 * shape, value range and the whole batch as a .npy download.
 */
export function activationView(key: string, array: NdArray): HTMLElement {
  const { shape, values } = sampleValues(array, 0, `activation of '${key}'`);
  const stats = valueStats(values);
  const picture = shape.length <= 1 ? barChart(values) : heatmapCanvas(array, key);
  const file = `${key.replace(/[^\w.@:-]+/g, "_")}.npy`;
  return el(
    "div",
    { class: "activation", "data-key": key },
    el(
      "p",
      { class: "meta" },
      `${key}: shape (${array.shape.join(", ")}) ${array.dtype}; sample 0 from ${formatValue(stats.min)} to ${formatValue(stats.max)}, mean ${formatValue(stats.mean)} `,
      npyDownload(array, file, "Save .npy"),
    ),
    picture,
  );
}

function heatmapCanvas(array: NdArray, key: string): HTMLCanvasElement {
  const image = activationGrid(array, { maxWidth: 1024 }, `activation of '${key}'`);
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height;
  const rgba = new ImageData(image.width, image.height);
  for (let i = 0, j = 0; i < image.data.length; i += 3, j += 4) {
    rgba.data[j] = image.data[i]!;
    rgba.data[j + 1] = image.data[i + 1]!;
    rgba.data[j + 2] = image.data[i + 2]!;
    rgba.data[j + 3] = 255;
  }
  canvas.getContext("2d")!.putImageData(rgba, 0, 0);
  canvas.className = "heatmap";
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", `heatmap grid of ${key}`);
  return canvas;
}
