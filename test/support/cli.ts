import { main } from "../../src/cli/main.js";
import type { Graph } from "../../src/ir/graph.js";

/** Runs `kerasgraph ARGV...` in-process and returns its exit code and what it printed. */
export async function runCli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
  });
  return { code, out, err };
}

/** Every weight of every layer, as bytes, by "layer/weight" name. */
export function weightBytes(graph: Graph): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const layer of graph.layers) {
    for (const [name, data] of layer.values) {
      const v = data.values;
      out.set(`${layer.name}/${name}`, Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    }
  }
  return out;
}
