export { activationGrid, type HeatmapOptions, type RgbImage } from "./grid.js";
export { activationPng, encodeRgbPng } from "./png.js";
export { VIRIDIS_LUT } from "./colormap.js";
