import { type Command, InvalidArgumentError } from "commander";
import type { CliIO } from "./io.js";

/**
 * `kerasgraph view [MODEL]`: the browser viewer (diagram, summary, layer inspector, runs with every
 * layer's output) served on 127.0.0.1 until interrupted; the page reads and runs the model itself.
 */
export function registerView(program: Command, io: CliIO, stop: () => Promise<unknown> = interrupted): void {
  program
    .command("view")
    .description("open the browser viewer: draw, summarize and run a model with every layer's activations")
    .argument("[model]", "a .keras, .h5, .onnx, Keras JSON or TF.js model.json (its shards are served too)")
    .option("--port <n>", "port on 127.0.0.1 (default: a free one)", portValue)
    .action(async (model: string | undefined, flags: { port?: number }) => {
      const { startViewServer } = await import("../tools/view/server.js");
      const server = await startViewServer({
        ...(model ? { model } : {}),
        ...(flags.port !== undefined ? { port: flags.port } : {}),
      });
      io.stdout.write(`kerasgraph viewer: ${server.url}${model ? ` (${model})` : ""}\nPress Ctrl-C to stop.\n`);
      await stop();
      await server.close();
    });
}

/** Resolves on Ctrl-C or SIGTERM, so that the command closes its server and exits 0. */
function interrupted(): Promise<void> {
  return new Promise((ok) => {
    process.once("SIGINT", () => ok());
    process.once("SIGTERM", () => ok());
  });
}

function portValue(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535)
    throw new InvalidArgumentError(`expected a port from 0 to 65535. Received: ${value}`);
  return n;
}
