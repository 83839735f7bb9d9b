import { GraphError } from "../../../ir/errors.js";
import type { Const } from "./const.js";
import { GraphIndex } from "./graph-index.js";

/** A dimension: a size, or a symbol for one only known at run time (`batch` is the Keras batch axis). */
export type Dim = number | string;

/** The symbol every graph input's first dimension becomes: Keras's batch axis. */
export const BATCH = "batch";

/** An attribute value as read: numbers (ints and floats alike), strings, lists, a tensor or a subgraph. */
export type Attr = number | string | number[] | string[] | Const | { subgraph: string };

/**
 * A value of the graph being imported: what shape inference and constant folding know about it. A
 * constant has `value`; a 1-D shape-like int tensor known up to run-time symbols has `symbolic`
 * (`Shape(x)` of an input with a free batch dimension); a `ConstantOfShape` over such a shape has `fill`.
 */
export interface Value {
  name: string;
  /** null: rank unknown. */
  shape: Dim[] | null;
  dtype: string;
  value?: Const;
  symbolic?: Dim[];
  fill?: number;
}

/**
 * One node. Ops of the "kg" domain are the importer's own (a recognized pattern that is one Keras
 * layer, e.g. `kg.Recurrent`), made by passes and read by mappers.
 */
export interface Node {
  op: string;
  domain: string;
  name: string;
  /** "" marks an absent optional input. */
  inputs: string[];
  outputs: string[];
  attrs: Record<string, Attr>;
}

/**
 * The ONNX graph while it is imported: nodes kept in topological order, values by name, and the maps
 * from a value to its producer and consumers (rebuilt lazily after edits). Passes edit it in place.
 */
export class ImportGraph {
  nodes: Node[] = [];
  readonly values = new Map<string, Value>();
  inputs: string[] = [];
  outputs: string[] = [];
  /** The batch size the file declares on its inputs, when fixed (1 for many converters' exports). */
  declaredBatch: number | null = null;
  private lookup: GraphIndex | null = null;
  private live: Set<Node> | null = null;
  private counter = 0;

  constructor(
    readonly name: string,
    /** The ai.onnx opset the model imports. */
    readonly opset: number,
    /** The file, named in errors. */
    readonly file?: string,
  ) {}

  value(name: string): Value {
    const v = this.values.get(name);
    if (!v)
      throw new GraphError(
        `ONNX value '${name}' is used but never defined (not an input, initializer or node output).`,
      );
    return v;
  }

  /** The constant a value holds, if it is one. */
  constant(name: string): Const | undefined {
    return name ? this.values.get(name)?.value : undefined;
  }

  isConstant(name: string): boolean {
    return this.constant(name) !== undefined;
  }

  producer(name: string): Node | undefined {
    return this.index().producers.get(name);
  }

  consumers(name: string): Node[] {
    return this.index().users.get(name) ?? [];
  }

  /** True while the node is part of the graph (not removed). */
  has(node: Node): boolean {
    this.live ??= new Set(this.nodes);
    return this.live.has(node);
  }

  /** Every node or graph output that reads the value. */
  useCount(name: string): number {
    return this.consumers(name).length + this.outputs.filter((o) => o === name).length;
  }

  /** Declares a new value with a fresh name derived from `base`. */
  addValue(base: string, shape: Dim[] | null, dtype: string, extra: Partial<Value> = {}): Value {
    let name = base;
    while (this.values.has(name)) name = `${base}__${++this.counter}`;
    const v: Value = { name, shape, dtype, ...extra };
    this.values.set(name, v);
    return v;
  }

  /** A fresh symbol for a dimension nothing can name (a product of run-time sizes). */
  freshSymbol(hint: string): string {
    return `?${hint}${++this.counter}`;
  }

  /** Adds a node right before `before` (or at the end); returns it. */
  addNode(node: Omit<Node, "domain" | "name"> & { domain?: string; name?: string }, before?: Node): Node {
    const full: Node = { domain: "", name: node.name ?? `${node.op}__${++this.counter}`, ...node } as Node;
    const at = before ? this.nodes.lastIndexOf(before) : -1;
    if (at >= 0) this.nodes.splice(at, 0, full);
    else this.nodes.push(full);
    this.lookup?.add(full);
    this.live?.add(full);
    return full;
  }

  removeNode(node: Node): void {
    const at = this.nodes.lastIndexOf(node);
    if (at >= 0) this.nodes.splice(at, 1);
    this.lookup?.remove(node);
    this.live?.delete(node);
  }

  /** Makes every reader of `from` (nodes and graph outputs) read `to` instead. */
  replaceUses(from: string, to: string): void {
    for (const n of [...this.consumers(from)]) {
      n.inputs = n.inputs.map((i) => (i === from ? to : i));
      this.touch(n);
    }
    this.outputs = this.outputs.map((o) => (o === from ? to : o));
  }

  /** Call after editing one node's inputs or outputs directly: re-files just that node. */
  touch(node: Node): void {
    this.lookup?.update(node);
  }

  /** Call after editing many nodes' inputs or outputs directly: the maps are rebuilt on next use. */
  dirty(): void {
    this.lookup = null;
    this.live = null;
  }

  /** Drops nodes whose outputs nobody reads, repeatedly. Returns how many went. */
  removeDeadNodes(): number {
    let removed = 0;
    for (;;) {
      const live = new Set(this.outputs);
      for (const n of this.nodes) for (const i of n.inputs) live.add(i);
      const keep = this.nodes.filter((n) => n.outputs.some((o) => live.has(o)));
      if (keep.length === this.nodes.length) break;
      removed += this.nodes.length - keep.length;
      this.nodes = keep;
      this.dirty();
    }
    return removed;
  }

  /**
   * Re-sorts the nodes topologically: a depth-first walk from each node in the current order to the
   * producers of its inputs (iterative, linear in nodes and edges; stable where the order was right).
   */
  sort(): void {
    const known = new Set<string>(this.inputs);
    for (const [name, v] of this.values) if (v.value) known.add(name);
    const producer = new Map<string, Node>();
    for (const n of this.nodes) for (const o of n.outputs) if (o) producer.set(o, n);
    const state = new Map<Node, "open" | "done">();
    const sorted: Node[] = [];
    for (const root of this.nodes) {
      if (state.has(root)) continue;
      state.set(root, "open");
      const stack: [Node, number][] = [[root, 0]];
      while (stack.length) {
        const top = stack[stack.length - 1]!;
        const [n, k] = top;
        if (k >= n.inputs.length) {
          stack.pop();
          state.set(n, "done");
          sorted.push(n);
          continue;
        }
        top[1]++;
        const input = n.inputs[k]!;
        if (!input || known.has(input)) continue;
        const p = producer.get(input);
        if (!p || state.get(p) === "open") {
          throw new GraphError(
            `ONNX node '${n.name}' (${n.op}) reads '${input}', which ${p ? "depends on the node itself (a cycle)" : "no node computes (a dangling input)"}.`,
          );
        }
        if (state.get(p) === "done") continue;
        state.set(p, "open");
        stack.push([p, 0]);
      }
    }
    this.nodes = sorted;
    this.dirty();
  }

  /** `Conv 'conv1'` as messages name a node. */
  describe(node: Node): string {
    return `${node.domain && node.domain !== "ai.onnx" ? `${node.domain}.` : ""}${node.op} node '${node.name}'`;
  }

  private index(): GraphIndex {
    this.lookup ??= new GraphIndex(this.nodes);
    return this.lookup;
  }
}
