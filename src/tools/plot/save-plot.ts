import { statSync, writeFileSync } from "node:fs";
import { dirname, extname, resolve } from "node:path";
import { writeAtomically } from "../../formats/atomic-write.js";
import { KerasGraphError } from "../../ir/errors.js";
import type { Graph } from "../../ir/graph.js";
import { PLOT_FORMATS, type PlotFormat, type PlotOptions, plotModel } from "./plot-model.js";

/**
 * `plot_model(model, to_file=path, ...)`: writes the diagram to `path` in the format its extension
 * names (.svg, .png, .dot), or `options.format`. The file appears whole or not at all: the bytes go to a
 * temporary file in the same folder, renamed over `path` at the end. Returns the format written.
 */
export async function savePlot(graph: Graph, path: string, options: PlotOptions = {}): Promise<PlotFormat> {
  const format = options.format ?? plotFormatOf(path);
  const folder = dirname(resolve(path));
  if (!isFolder(folder)) {
    throw new KerasGraphError(
      `plot: cannot write '${path}': the folder '${dirname(path)}' does not exist. Received: out=${path}`,
    );
  }
  const bytes = await plotModel(graph, { ...options, format });
  await writeAtomically(path, (temp) => writeFileSync(temp, bytes));
  return format;
}

/** The format a file name asks for, by its extension. */
export function plotFormatOf(path: string): PlotFormat {
  const ext = extname(path).slice(1).toLowerCase();
  if ((PLOT_FORMATS as readonly string[]).includes(ext)) return ext as PlotFormat;
  throw new KerasGraphError(
    `plot: cannot tell the format of '${path}': its extension must be ${PLOT_FORMATS.map((f) => `.${f}`).join(", ")}. Received: '${extname(path) || "no extension"}'`,
  );
}

function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
