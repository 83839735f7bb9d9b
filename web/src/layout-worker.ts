/// <reference lib="webworker" />
import { dotToSvg } from "../../src/tools/plot/render-svg.js";

/**
 * Graphviz off the page's main thread: a large model's layout takes a second or more, during which
 * the page stays responsive. Each message `{id, dot}` is answered `{id, svg}` or `{id, error}`.
 * On start it lays out a small Keras-style chain, so that the wasm's hot code is compiled to its
 * fast tier before the user's first model arrives.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;

scope.addEventListener("message", async (e: MessageEvent<{ id: number; dot: string }>) => {
  const { id, dot } = e.data;
  try {
    scope.postMessage({ id, svg: await dotToSvg(dot) });
  } catch (err) {
    const error =
      err instanceof Error ? { name: err.name, message: err.message } : { name: "Error", message: String(err) };
    scope.postMessage({ id, error });
  }
});

const warmUp = ["digraph G {", "rankdir=TB;", "splines=ortho;", "node [shape=record];"];
for (let i = 0; i < 60; i++) {
  warmUp.push(
    `n${i} [label=<<table border="0" cellborder="1" cellspacing="0"><tr><td colspan="2" bgcolor="black"><font color="white"><b>layer_${i}</b> (Conv2D)</font></td></tr><tr><td>Input shape: (None, 28, 28, 64)</td><td>Output shape: (None, 28, 28, 64)</td></tr></table>>, fontname=Helvetica, border=0, margin=0];`,
  );
  if (i) warmUp.push(`n${i - 1} -> n${i} [penwidth=2];`);
  if (i > 2 && i % 3 === 0) warmUp.push(`n${i - 3} -> n${i} [penwidth=2];`);
}
warmUp.push("}");
void dotToSvg(warmUp.join("\n")).catch(() => undefined); // only a warm-up: the first real layout reports errors
