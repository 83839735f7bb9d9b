import { statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { writeAtomically } from "../../formats/atomic-write.js";
import { KerasGraphError } from "../../ir/errors.js";
import type { Graph } from "../../ir/graph.js";
import { plotFormatOf } from "./formats.js";
import { type PlotFormat, type PlotOptions, plotModel } from "./plot-model.js";

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

function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
