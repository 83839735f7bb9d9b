import { type Command, InvalidArgumentError, Option } from "commander";
import { plotFormatOf } from "../tools/plot/formats.js";
import type { CliIO } from "./io.js";

interface PlotFlags {
  out: string;
  showShapes?: boolean;
  showDtype?: boolean;
  showLayerNames: boolean;
  showLayerActivations?: boolean;
  showTrainable?: boolean;
  expandNested?: boolean;
  rankdir: "TB" | "LR";
  dpi: number;
  splines: string;
}

/** `kerasgraph plot MODEL --out FILE.{svg,png,dot}`: Keras's `plot_model`, with no Graphviz install. */
export function registerPlot(program: Command, io: CliIO): void {
  program
    .command("plot")
    .description("draw the model's graph as Keras's plot_model does (SVG, PNG or DOT, by --out's extension)")
    .argument("<model>", "a .keras, .h5, Keras JSON or TF.js model.json file (detected by content)")
    .requiredOption("--out <file>", "where to write: FILE.svg, FILE.png or FILE.dot", outPath)
    .option("--show-shapes", "show input and output shapes")
    .option("--show-dtype", "show output dtypes")
    .option("--show-layer-names", "show layer names in the headers", true)
    .option("--no-show-layer-names", "show only the class in the headers")
    .option("--show-layer-activations", "show the activation of layers that have one")
    .option("--show-trainable", "mark layers with weights as trainable or not")
    .option("--expand-nested", "draw nested models' layers inside dashed clusters")
    .addOption(
      new Option("--rankdir <dir>", "TB: top to bottom, LR: left to right").choices(["TB", "LR"]).default("TB"),
    )
    .option("--dpi <n>", "resolution in dots per inch (PNG pixels; SVG scale)", dpiValue, 200)
    .addOption(
      new Option("--splines <kind>", "how edges are drawn (Keras's splines)")
        .choices(["ortho", "spline", "polyline", "line", "curved"])
        .default("ortho"),
    )
    .action(async (model: string, flags: PlotFlags) => {
      const [{ openModel }, { savePlot }] = await Promise.all([
        import("../formats/open.js"),
        import("../tools/plot/save-plot.js"),
      ]);
      const { graph } = await openModel(model, { weights: false });
      const { out, ...options } = flags;
      const format = await savePlot(graph, out, options);
      io.stdout.write(`wrote ${out} (${format})\n`);
    });
}

function outPath(value: string): string {
  try {
    plotFormatOf(value);
  } catch (e) {
    throw new InvalidArgumentError((e as Error).message.replace(/^plot: /, ""));
  }
  return value;
}

function dpiValue(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(n > 0) || n > 2400) {
    throw new InvalidArgumentError(`expected a number of dots per inch above 0 and at most 2400. Received: ${value}`);
  }
  return n;
}
