import { type Command, InvalidArgumentError } from "commander";
import type { CliIO } from "./io.js";

/** `kerasgraph summary MODEL`: Keras's `model.summary()` table, or its facts as JSON. */
export function registerSummary(program: Command, io: CliIO): void {
  program
    .command("summary")
    .description("print the model's summary table, as Keras's model.summary()")
    .argument("<model>", "a .keras, .h5, Keras JSON or TF.js model.json file (detected by content)")
    .option("--json", "print the summary as JSON instead of a table")
    .option("--line-length <n>", "total width of the table, as Keras's line_length", positiveInt)
    .option("--expand-nested", "show the layers inside nested models, as Keras's expand_nested")
    .option("--weights <file>", "weights for an architecture-only MODEL (checked against it)")
    .action(
      async (
        model: string,
        opts: { json?: boolean; lineLength?: number; expandNested?: boolean; weights?: string },
      ) => {
        const [{ openModel }, { summaryJson, summaryText }] = await Promise.all([
          import("../formats/open.js"),
          import("../tools/summary/index.js"),
        ]);
        const { graph } = await openModel(model, opts.weights ? { weightsFile: opts.weights } : { weights: false });
        if (opts.json) {
          io.stdout.write(`${JSON.stringify(summaryJson(graph), null, 2)}\n`);
          return;
        }
        // Keras fits the table to the terminal when no line length is given.
        const columns = (io.stdout as { columns?: number }).columns;
        const text = summaryText(graph, {
          ...(opts.lineLength !== undefined ? { lineLength: opts.lineLength } : {}),
          ...(columns ? { terminalColumns: columns } : {}),
          expandNested: opts.expandNested ?? false,
        });
        io.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
      },
    );
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n <= 0) throw new InvalidArgumentError(`expected a positive integer. Received: ${value}`);
  return n;
}
