import type { Command } from "commander";
import type { Graph, Tensor } from "../ir/graph.js";
import { formatShape } from "../ir/shape.js";
import type { CliIO } from "./io.js";

/** `kerasgraph info MODEL`: what the file is (format, Keras version) and the model's inputs and outputs. */
export function registerInfo(program: Command, io: CliIO): void {
  program
    .command("info")
    .description("print the file's format, Keras version, and the model's inputs and outputs")
    .argument("<model>", "a .keras, .h5, Keras JSON or TF.js model.json file (detected by content)")
    .option("--weights <file>", "weights for an architecture-only MODEL (checked against it)")
    .action(async (model: string, opts: { weights?: string }) => {
      const [{ openModel }, lambda] = await Promise.all([
        import("../formats/open.js"),
        import("../layers/core/lambda-function.js"),
      ]);
      const { format, graph, kerasVersion, backend } = await openModel(
        model,
        opts.weights ? { weightsFile: opts.weights } : { weights: false },
      );
      const params = graph.paramCounts();
      const lines = [
        `file:          ${model}`,
        `format:        ${format}`,
        `keras_version: ${kerasVersion ?? "unknown"}`,
        ...(backend ? [`backend:       ${backend}`] : []),
        `model:         ${graph.name} (${graph.className}, ${graph.layers.length} layers, ${params.total.toLocaleString("en-US")} params)`,
        "inputs:",
        ...graph.inputs.map(describeTensor),
        "outputs:",
        ...graph.outputs.map(describeTensor),
        ...(opts.weights ? [`weights:       ${opts.weights} (matches the architecture)`] : []),
        ...lambdaLines(lambda, graph),
      ];
      io.stdout.write(`${lines.join("\n")}\n`);
    });
}

type LambdaModule = typeof import("../layers/core/lambda-function.js");

function describeTensor(t: Tensor): string {
  return `  ${t.layer.name}: ${formatShape(t.shape)} ${t.dtype}`;
}

/** Lambda layers and what their function is, shown as data: kerasgraph never runs or imports it. */
function lambdaLines(lambda: LambdaModule, graph: Graph, prefix = ""): string[] {
  const lines: string[] = [];
  for (const layer of graph.uniqueLayers()) {
    if (layer.subgraph) lines.push(...lambdaLines(lambda, layer.subgraph, `${prefix}${layer.name}/`));
    else if (lambda.isLambdaLayer(layer))
      lines.push(`  ${prefix}${layer.name}: ${lambda.describeLambdaFunction(layer.config).text}`);
  }
  return prefix || !lines.length ? lines : ["lambda layers (opaque Python code, never executed):", ...lines];
}
