import { KerasGraphError } from "../../ir/errors.js";

/**
 * Browser stand-in for render-png.ts (package.json's `browser` field swaps it in): resvg's PNG
 * renderer is a native Node module, so a browser asks plotModel for SVG and lets the page draw it.
 */
export function svgToPng(svg: string): Promise<Uint8Array> {
  return Promise.reject(
    new KerasGraphError(
      `plot: PNG output needs Node (resvg); in a browser, ask for format "svg". Received: an SVG of ${svg.length} characters`,
    ),
  );
}
