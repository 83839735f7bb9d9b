import type { Layer as IrLayer } from "../ir/graph.js";
import { type Layer, boundLayer } from "./layer.js";
import { BuiltinLayer } from "./layers/builtin.js";
import { Model } from "./model.js";

/**
 * The API layer of an IR layer: the one that made it, or a wrapper for a layer read from a file (a
 * Model for a nested model, a BuiltinLayer otherwise; custom layers are bound when their kind first
 * builds them).
 */
export function layerFor(ir: IrLayer): Layer {
  const bound = boundLayer(ir);
  if (bound) return bound;
  if (ir.subgraph) {
    const model = new Model({ graph: ir.subgraph });
    model.bind(ir);
    return model;
  }
  return new BuiltinLayer(ir);
}
