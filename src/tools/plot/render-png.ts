import { KerasGraphError } from "../../ir/errors.js";

/** Above this many pixels resvg would need gigabytes; a diagram that large is asked for as SVG. */
const MAX_PIXELS = 200_000_000;

/**
 * Rasterizes an SVG that Graphviz wrote (its `width`/`height` in points already scaled by the graph's
 * `dpi`) to a PNG with one pixel per such point, so the PNG has the resolution the DOT asked for, as
 * `dot -Tpng` does. Text is drawn with the bundled Arimo fonts (see fonts.ts); system fonts are not
 * loaded, so every machine draws the same picture. Node only (resvg's native build).
 */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  const { width, height } = svgSize(svg);
  if (width * height > MAX_PIXELS) {
    throw new KerasGraphError(
      `plot: the PNG would be ${Math.round(width)}x${Math.round(height)} pixels, more than ${MAX_PIXELS / 1e6} million; ` +
        `lower the dpi or write an SVG. Received: a ${Math.round(width)}x${Math.round(height)}pt drawing`,
    );
  }
  const [{ Resvg }, { BUNDLED_FONT_FAMILY, bundledFontFiles }] = await Promise.all([
    import("@resvg/resvg-js"),
    import("./fonts.js"),
  ]);
  const resvg = new Resvg(svg, {
    fitTo: { mode: "width", value: Math.max(1, Math.round(width)) },
    background: "white",
    font: {
      loadSystemFonts: false,
      fontFiles: bundledFontFiles(),
      defaultFontFamily: BUNDLED_FONT_FAMILY,
      sansSerifFamily: BUNDLED_FONT_FAMILY,
    },
  });
  return new Uint8Array(resvg.render().asPng());
}

/** The drawing's size from the root `<svg width="…pt" height="…pt">` that Graphviz writes. */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? "";
  const dim = (attr: string): number => {
    const m = new RegExp(`\\b${attr}="([0-9.]+)(pt|px)?"`).exec(root);
    return m ? Number(m[1]) : NaN;
  };
  const width = dim("width");
  const height = dim("height");
  if (!(width > 0) || !(height > 0)) {
    throw new KerasGraphError(`plot: the SVG has no width and height in points. Received: ${root.slice(0, 200)}`);
  }
  return { width, height };
}
