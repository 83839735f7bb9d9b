import { Command, CommanderError } from "commander";
import { registerConvert } from "./convert.js";
import { registerExtract } from "./extract.js";
import { registerInfo } from "./info.js";
import { type CliIO, processIO } from "./io.js";
import { registerPlot } from "./plot.js";
import { registerPredict } from "./predict.js";
import { reportError } from "./report-error.js";
import { registerSummary } from "./summary.js";
import { registerTrain } from "./train.js";
import { registerView } from "./view.js";

/**
 * Runs the `kerasgraph` command line on `argv` (the arguments after the program name) and returns the
 * exit code: 0 on success, 1 on a user error (bad or missing model file), 2 on bad usage.
 */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const debug = argv.includes("--debug");
  const program = new Command("kerasgraph")
    .description("Keras models without Python: summaries, format detection and conversion")
    .option("--debug", "print stack traces of errors")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  registerSummary(program, io);
  registerInfo(program, io);
  registerConvert(program, io);
  registerPredict(program, io);
  registerTrain(program, io);
  registerExtract(program, io);
  registerPlot(program, io);
  registerView(program, io);
  for (const command of program.commands) command.exitOverride();
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    return reportError(err, io, debug);
  }
}
