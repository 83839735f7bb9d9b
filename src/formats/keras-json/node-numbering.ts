import { GraphError } from "../../ir/errors.js";
import type { Call, Graph, Layer, Tensor } from "../../ir/graph.js";
import { topologicalCalls } from "../../ir/topo.js";
import type { Dialect } from "./node-refs.js";

/** Where a tensor reference is written: in a layer's `inbound_nodes`, or in `input_layers`/`output_layers`. */
export type RefSite = "inbound" | "io";

/**
 * The node-index offset of a reference to `layer` (docs/architecture.md, "Keras node-index rules"). A
 * nested model owns an internal node that Keras counts first: Keras 2 everywhere (for Sequential only
 * once it has an input), Keras 3 only in `input_layers`/`output_layers` of a nested Functional
 * (`get_config`'s `kept_nodes = 1`); Keras 3's `serialize_node` drops it from `inbound_nodes`.
 */
export function nestedNodeOffset(layer: Layer, dialect: Dialect, site: RefSite): number {
  const body = layer.subgraph;
  if (!body) return 0;
  if (dialect === "keras2") return body.className !== "Sequential" || body.inputs.length > 0 ? 1 : 0;
  return site === "io" && body.className !== "Sequential" ? 1 : 0;
}

/** A graph input that no InputLayer makes (a graph cut at an inner tensor): written as an InputLayer of its own. */
export interface CutInput {
  tensor: Tensor;
  name: string;
}

/**
 * Keras's per-model node numbering for writing one graph: the calls that belong to it (those between its
 * inputs and outputs, as Keras's `_nodes`), each numbered among its layer's calls in this graph only, so
 * calls a shared layer makes in other graphs are not counted (`serialize_node`'s irrelevant nodes).
 */
export class NodeNumbering {
  /** The graph's calls, each after the calls it reads from. */
  readonly calls: Call[];
  /** Inputs made by no InputLayer, by tensor, with the InputLayer name written for them. */
  readonly cutInputs = new Map<Tensor, CutInput>();
  private readonly own: Set<Call>;
  private readonly index = new Map<Call, number>();

  constructor(readonly graph: Graph) {
    this.calls = topologicalCalls(graph);
    this.own = new Set(this.calls);
    const layers = new Set(this.calls.map((c) => c.layer));
    for (const layer of layers) {
      let n = 0;
      for (const call of layer.calls) if (this.own.has(call)) this.index.set(call, n++);
    }
    const taken = new Set(graph.layers.map((l) => l.name));
    for (const t of graph.inputs) {
      if (t.producer.inputs.length === 0 || this.cutInputs.has(t)) continue;
      let name = `${t.layer.name}_input`;
      for (let i = 1; taken.has(name); i++) name = `${t.layer.name}_input_${i}`;
      taken.add(name);
      this.cutInputs.set(t, { tensor: t, name });
    }
  }

  /** The calls of `layer` that belong to this graph, in Keras's node order. */
  callsOf(layer: Layer): Call[] {
    return layer.calls.filter((c) => this.own.has(c));
  }

  /** `[layer name, node index, tensor index]` for a tensor read inside this graph or named as its input/output. */
  history(t: Tensor, dialect: Dialect, site: RefSite): [string, number, number] {
    const cut = this.cutInputs.get(t);
    if (cut) return [cut.name, 0, 0];
    const node = this.index.get(t.producer);
    if (node === undefined) {
      throw new GraphError(
        `model '${this.graph.name}': tensor ${t.label} is read but its layer's call is not part of the model ` +
          `(it is not computed from the model's inputs). Received a reference to layer '${t.layer.name}'.`,
      );
    }
    return [t.layer.name, node + nestedNodeOffset(t.layer, dialect, site), t.index];
  }
}
