import { Graphviz } from "@hpcc-js/wasm-graphviz";
import { KerasGraphError } from "../../ir/errors.js";

let loaded: Promise<Graphviz> | undefined;

/** Graphviz compiled to WebAssembly (the wasm ships inside the package: no binary, no network). */
function graphviz(): Promise<Graphviz> {
  loaded ??= Graphviz.load();
  return loaded;
}

/** The Graphviz version that lays out the diagrams, e.g. "16.1.0". */
export async function graphvizVersion(): Promise<string> {
  return (await graphviz()).version();
}

/**
 * Lays out DOT text with Graphviz's `dot` engine and returns the SVG, as `dot -Tsvg` does. Graphviz's
 * own complaint (a syntax error, a bad attribute) becomes a KerasGraphError naming it.
 */
export async function dotToSvg(dot: string): Promise<string> {
  const gv = await graphviz();
  try {
    return gv.dot(dot, "svg");
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new KerasGraphError(`plot: Graphviz could not lay out the diagram. Received: ${message.trim()}`);
  }
}
