import { FormatError } from "../../ir/errors.js";
import type { Graph } from "../../ir/graph.js";
import { stringifyJson } from "../json-text.js";
import type { Json } from "./parse.js";
import { writeKeras2Model } from "./write-keras2.js";
import { writeKeras3Model } from "./write-keras3.js";

export interface WriteOptions {
  /**
   * "keras3" (default): Keras 3's `model.to_json()` / `.keras` `config.json`. "keras2": tf.keras 2's
   * `to_json()`, the dialect of `.h5` files and of tfjs-layers' `modelTopology`.
   */
  dialect?: "keras3" | "keras2";
}

/**
 * A graph as a Keras model config object (`{"class_name", "config", ...}`). A graph read from a Keras 3
 * file is written back as Keras wrote it; from another source, with the values Keras writes. The node
 * indices follow Keras's rules for the dialect (see node-numbering.ts).
 */
export function writeKerasJson(graph: Graph, options: WriteOptions = {}): Json {
  // Configs are shared with the IR while writing; the copy keeps callers from editing the graph through them.
  return structuredClone(kerasJsonView(graph, options));
}

/**
 * `writeKerasJson` without the copy, for a caller that serializes the config at once and keeps
 * nothing (JSON text, an archive's config.json): its objects may be the graph's own configs and must
 * not be edited. The copy (structuredClone) costs about as much as building ResNet50's config again.
 */
export function kerasJsonView(graph: Graph, options: WriteOptions = {}): Readonly<Json> {
  const dialect = options.dialect ?? "keras3";
  if (dialect === "keras3") return writeKeras3Model(graph);
  if (dialect === "keras2") return writeKeras2Model(graph);
  throw new FormatError(
    `unknown Keras JSON dialect. Received: dialect=${JSON.stringify(dialect)}; use "keras3" or "keras2".`,
  );
}

/**
 * The config as JSON text, indented by one space and without a final newline, as Keras's
 * `model.to_json(indent=1)` (the fixtures' `model.json`); `indent: 0` writes one line like `to_json()`.
 * Numbers are JavaScript's: Python's `1.0` is written `1`, which Keras reads back the same; -0.0 keeps
 * its sign.
 */
export function toKerasJsonText(graph: Graph, options: WriteOptions & { indent?: number } = {}): string {
  const indent = options.indent ?? 1;
  return stringifyJson(kerasJsonView(graph, options), indent);
}
