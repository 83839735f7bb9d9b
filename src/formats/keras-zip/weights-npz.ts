import { FormatError } from "../../ir/errors.js";
import type { Graph } from "../../ir/graph.js";
import type { ClassNameOf } from "./saveables.js";

export function readNpzWeights(bytes: Uint8Array, graph: Graph, classNameOf?: ClassNameOf): void {
  void bytes;
  void graph;
  void classNameOf;
  throw new FormatError("model.weights.npz is not supported yet.");
}
