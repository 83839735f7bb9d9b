import { extname } from "node:path";
import { KerasGraphError } from "../../ir/errors.js";

/** What `plot_model` writes, by the output's extension. Kept apart so the CLI checks `--out` without loading Graphviz. */
export type PlotFormat = "svg" | "png" | "dot";
export const PLOT_FORMATS: readonly PlotFormat[] = ["svg", "png", "dot"];

/** The format a file name asks for, by its extension. */
export function plotFormatOf(path: string): PlotFormat {
  const ext = extname(path).slice(1).toLowerCase();
  if ((PLOT_FORMATS as readonly string[]).includes(ext)) return ext as PlotFormat;
  throw new KerasGraphError(
    `plot: cannot tell the format of '${path}': its extension must be ${PLOT_FORMATS.map((f) => `.${f}`).join(", ")}. Received: '${extname(path) || "no extension"}'`,
  );
}
