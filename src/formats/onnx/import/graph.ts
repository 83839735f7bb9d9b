import { GraphError } from "../../../ir/errors.js";
import type { Const } from "./const.js";

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
  private producers: Map<string, Node> | null = null;
  private users: Map<string, Node[]> | null = null;
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
    this.index();
    return this.producers!.get(name);
  }

  consumers(name: string): Node[] {
    this.index();
    return this.users!.get(name) ?? [];
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
    const at = before ? this.nodes.indexOf(before) : -1;
    if (at >= 0) this.nodes.splice(at, 0, full);
    else this.nodes.push(full);
    this.dirty();
    return full;
  }

  removeNode(node: Node): void {
    const at = this.nodes.indexOf(node);
    if (at >= 0) this.nodes.splice(at, 1);
    this.dirty();
  }

  /** Makes every reader of `from` (nodes and graph outputs) read `to` instead. */
  replaceUses(from: string, to: string): void {
    for (const n of this.nodes) n.inputs = n.inputs.map((i) => (i === from ? to : i));
    this.outputs = this.outputs.map((o) => (o === from ? to : o));
    this.dirty();
  }

  /** Call after editing a node's inputs or outputs directly. */
  dirty(): void {
    this.producers = null;
    this.users = null;
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

  /** Re-sorts the nodes topologically (Kahn's algorithm, stable with respect to the current order). */
  sort(): void {
    const known = new Set<string>([...this.inputs]);
    for (const [name, v] of this.values) if (v.value) known.add(name);
    let pending = [...this.nodes];
    const sorted: Node[] = [];
    // Sweeps in the current order, taking every node whose inputs exist: O(nodes × depth), stable.
    while (pending.length) {
      const waiting: Node[] = [];
      for (const n of pending) {
        if (n.inputs.every((x) => x === "" || known.has(x))) {
          sorted.push(n);
          for (const o of n.outputs) known.add(o);
        } else waiting.push(n);
      }
      if (waiting.length === pending.length) {
        const n = waiting[0]!;
        const missing = n.inputs.filter((x) => x !== "" && !known.has(x));
        throw new GraphError(
          `ONNX node '${n.name}' (${n.op}) reads ${missing.map((m) => `'${m}'`).join(", ")}, which no node computes before it (a cycle or a dangling input).`,
        );
      }
      pending = waiting;
    }
    this.nodes = sorted;
    this.dirty();
  }

  /** `Conv 'conv1'` as messages name a node. */
  describe(node: Node): string {
    return `${node.domain && node.domain !== "ai.onnx" ? `${node.domain}.` : ""}${node.op} node '${node.name}'`;
  }

  private index(): void {
    if (this.producers && this.users) return;
    this.producers = new Map();
    this.users = new Map();
    for (const n of this.nodes) {
      for (const o of n.outputs) if (o) this.producers.set(o, n);
      for (const i of new Set(n.inputs)) {
        if (!i) continue;
        const list = this.users.get(i);
        if (list) list.push(n);
        else this.users.set(i, [n]);
      }
    }
  }
}
