import type { Graph } from "../../ir/graph.js";
import { KerasGraphError } from "../../ir/errors.js";
import { modelToDot } from "./model-to-dot.js";
import { type DotOptions, resolveDotOptions } from "./options.js";
import { PLOT_FORMATS, type PlotFormat } from "./formats.js";
import { dotToSvg } from "./render-svg.js";

export { PLOT_FORMATS, type PlotFormat } from "./formats.js";

export interface PlotOptions extends DotOptions {
  /** What to return: "png" (Keras's default), "svg", or the "dot" text itself. */
  format?: PlotFormat;
}

/**
 * Keras's `plot_model(model, show_shapes=..., ...)` without pydot or a Graphviz binary: the model's
 * diagram as PNG, SVG or DOT bytes (UTF-8 for the text formats). DOT and SVG work in the browser too
 * (Graphviz runs as WebAssembly); PNG needs Node (resvg).
 */
export async function plotModel(graph: Graph, options: PlotOptions = {}): Promise<Uint8Array> {
  const { format = "png", ...dotOptions } = options;
  resolveDotOptions(options, ["format"]);
  if (!PLOT_FORMATS.includes(format)) {
    throw new KerasGraphError(
      `plot: format must be one of ${PLOT_FORMATS.join(", ")}. Received: format=${JSON.stringify(format)}`,
    );
  }
  const dot = modelToDot(graph, dotOptions);
  if (format === "dot") return new TextEncoder().encode(dot);
  const svg = await dotToSvg(dot);
  if (format === "svg") return new TextEncoder().encode(svg);
  const { svgToPng } = await import("./render-png.js");
  return svgToPng(svg);
}
