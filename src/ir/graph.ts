import type { Shape } from "./shape.js";
import { shapeSize } from "./shape.js";
import { NameAuthority } from "./names.js";
import type { OptimizerState, WeightData } from "./weights.js";

export type DType = string;

/** The shape and dtype of a tensor, without a place in a graph. */
export interface TensorSpec {
  shape: Shape;
  dtype: DType;
}

/**
 * A value in a call's arguments, as Keras records it in `inbound_nodes`: tensors, nested lists and
 * records of them, or plain JSON (`training: false`, `mask: null`, ...).
 */
export type ArgTree<T> = T | ArgTree<T>[] | { [key: string]: ArgTree<T> } | string | number | boolean | null;

/** One variable a layer creates when it is built, in Keras's creation order. */
export interface WeightSpec {
  /** Keras's variable name within the layer: "kernel", "bias", "moving_mean" ... */
  name: string;
  shape: number[];
  dtype: DType;
  trainable: boolean;
}

/** A tensor: one output of one call. It knows every call that consumes it. */
export class Tensor implements TensorSpec {
  /** The calls that read this tensor, once per call even if read twice. */
  readonly uses: Call[] = [];
  constructor(
    public shape: Shape,
    public dtype: DType,
    readonly producer: Call,
    readonly index: number,
  ) {}

  get layer(): Layer {
    return this.producer.layer;
  }

  /** Keras's history triple as text, `dense_1[0][0]`, as the summary's "Connected to" prints it. */
  get label(): string {
    return `${this.layer.name}[${this.producer.index}][${this.index}]`;
  }

  /** Rewires every use of this tensor to `other` (in call arguments); returns the calls changed. */
  replaceAllUsesWith(other: Tensor): Call[] {
    const changed = [...this.uses];
    for (const call of changed) {
      call.args = mapArgTree(call.args, (t) => (t === this ? other : t)) as ArgTree<Tensor>[];
      call.kwargs = mapArgTree(call.kwargs, (t) => (t === this ? other : t)) as Record<string, ArgTree<Tensor>>;
      if (!other.uses.includes(call)) other.uses.push(call);
    }
    this.uses.length = 0;
    return changed;
  }
}

/** One use of a layer (Keras's "node"): the arguments it was called with and the tensors it made. */
export class Call {
  outputs: Tensor[] = [];
  constructor(
    readonly layer: Layer,
    public args: ArgTree<Tensor>[],
    public kwargs: Record<string, ArgTree<Tensor>>,
  ) {}

  /** Every tensor in the arguments, positional first, in order of appearance. */
  get inputs(): Tensor[] {
    const out: Tensor[] = [];
    forEachTensor(this.args, (t) => out.push(t));
    forEachTensor(this.kwargs, (t) => out.push(t));
    return out;
  }

  /** The position of this call among all calls of its layer. */
  get index(): number {
    return this.layer.calls.indexOf(this);
  }
}

/** Extra facts about a layer's serialized form that are not its config. */
export interface LayerMeta {
  /** Keras 3's `module` key, e.g. "keras.layers"; absent in Keras 2 configs. */
  module?: string | null;
  /** Keras 3's `registered_name` (custom objects: "package>Name"). */
  registeredName?: string | null;
  /** Keras 3's `build_config`, kept as read. */
  buildConfig?: unknown;
  /** Top-level keys of the layer entry we do not interpret, kept so that writing loses nothing. */
  extra?: Record<string, unknown>;
}

/** A layer: one Keras layer object, called any number of times. A nested model holds its body in `subgraph`. */
export class Layer {
  readonly calls: Call[] = [];
  /** The variables made by `build` on the first call; null while the layer is unbuilt. */
  weights: WeightSpec[] | null = null;
  /** The body of a nested model (Functional or Sequential used as a layer). */
  subgraph?: Graph;
  /**
   * Weight values by WeightSpec name, once a file with weights was read (or values were set). A
   * shared layer is one Layer, so its values exist once however many calls it has.
   */
  values = new Map<string, WeightData>();

  constructor(
    public className: string,
    public name: string,
    public config: Record<string, unknown>,
    public meta: LayerMeta = {},
  ) {}

  /**
   * True for a Keras 3 operation recorded in a functional model (`x + 3` makes a `keras.src.ops.numpy`
   * `Add`): it is in the config's layers and the summary, but not in `model.layers`.
   */
  get isOperation(): boolean {
    return typeof this.meta.module === "string" && this.meta.module.startsWith("keras.src.ops");
  }

  get built(): boolean {
    return this.subgraph ? true : this.weights !== null;
  }

  get trainable(): boolean {
    return this.config.trainable !== false;
  }

  /**
   * Every variable of the layer with its effective trainability, in creation order. A nested model
   * lists its unique inner layers' variables; a frozen layer's (`trainable: false`) are all
   * non-trainable.
   */
  variables(): { layer: Layer; weight: WeightSpec; trainable: boolean }[] {
    const own: { layer: Layer; weight: WeightSpec; trainable: boolean }[] = [];
    if (this.subgraph) {
      for (const inner of this.subgraph.uniqueLayers()) own.push(...inner.variables());
    } else {
      for (const w of this.weights ?? []) own.push({ layer: this, weight: w, trainable: w.trainable });
    }
    const frozen = !this.trainable;
    return own.map((v) => ({ ...v, trainable: v.trainable && !frozen }));
  }

  /** Keras's `count_params()`, split by trainability. */
  paramCounts(): { total: number; trainable: number; nonTrainable: number } {
    let trainable = 0;
    let nonTrainable = 0;
    for (const v of this.variables()) {
      const n = shapeSize(v.weight.shape) ?? 0;
      if (v.trainable) trainable += n;
      else nonTrainable += n;
    }
    return { total: trainable + nonTrainable, trainable, nonTrainable };
  }
}

/**
 * How a model's inputs or outputs were given: one tensor, a list, or a record by name. Keras writes
 * `input_layers`/`output_layers` in the same form, and Keras 3 returns predictions in it.
 */
export type IOStructure = { kind: "single" } | { kind: "list" } | { kind: "dict"; keys: string[] };

/** A functional model: layers (in Keras's order), the tensors between them, and its inputs and outputs. */
export class Graph {
  layers: Layer[] = [];
  inputs: Tensor[] = [];
  outputs: Tensor[] = [];
  inputStructure: IOStructure = { kind: "list" };
  outputStructure: IOStructure = { kind: "list" };
  /** Model-level config keys we keep as read (e.g. "trainable"), besides layers and I/O. */
  config: Record<string, unknown> = {};
  /**
   * Keys around the model's config in its serialized form (`module`, `registered_name`,
   * `build_config`, `compile_config`, `keras_version`, `backend`), kept as read.
   */
  envelope: Record<string, unknown> = {};
  /** A compiled model's optimizer variables, when the file saved them (values are not part of the config). */
  optimizer?: OptimizerState;
  /** Files of a `.keras` archive's `assets/` folder (lookup vocabularies, ...), by their path in the archive. */
  assets?: Map<string, Uint8Array>;
  readonly names = new NameAuthority();

  constructor(
    public name: string,
    /** "Functional" or "Sequential" (or a custom model class with a functional constructor). */
    public className = "Functional",
  ) {}

  addLayer(layer: Layer): Layer {
    this.layers.push(layer);
    this.names.claim(layer.name);
    return layer;
  }

  getLayer(name: string): Layer | undefined {
    return this.layers.find((l) => l.name === name);
  }

  /** Layers once each (a layer may appear once per graph; kept as a guard for hand-built graphs). */
  uniqueLayers(): Layer[] {
    return [...new Set(this.layers)];
  }

  /** Keras's `count_params()` for the whole model. */
  paramCounts(): { total: number; trainable: number; nonTrainable: number } {
    const sum = { total: 0, trainable: 0, nonTrainable: 0 };
    const frozen = this.config.trainable === false;
    for (const layer of this.uniqueLayers()) {
      const c = layer.paramCounts();
      sum.total += c.total;
      sum.trainable += frozen ? 0 : c.trainable;
      sum.nonTrainable += frozen ? c.total : c.nonTrainable;
    }
    return sum;
  }
}

/**
 * Visits the tensors of an argument tree in Keras's `tree.flatten` order: lists in order, records by
 * sorted key (so a call's flattened inputs are `node.input_tensors` exactly).
 */
export function forEachTensor<T>(
  tree: ArgTree<T> | Record<string, ArgTree<T>> | ArgTree<T>[],
  fn: (t: Tensor) => void,
): void {
  if (tree instanceof Tensor) fn(tree);
  else if (Array.isArray(tree)) for (const v of tree) forEachTensor(v as ArgTree<T>, fn);
  else if (tree !== null && typeof tree === "object") {
    const record = tree as Record<string, ArgTree<T>>;
    for (const k of Object.keys(record).sort()) forEachTensor(record[k]!, fn);
  }
}

/** Collects the leaves `isLeaf` accepts, in Keras's `tree.flatten` order (records by sorted key). */
export function flattenLeaves<A>(tree: unknown, isLeaf: (v: unknown) => v is A, out: A[] = []): A[] {
  if (isLeaf(tree)) out.push(tree);
  else if (Array.isArray(tree)) for (const v of tree) flattenLeaves(v, isLeaf, out);
  else if (tree !== null && typeof tree === "object") {
    const record = tree as Record<string, unknown>;
    for (const k of Object.keys(record).sort()) flattenLeaves(record[k], isLeaf, out);
  }
  return out;
}

/** Maps every tensor-like leaf of an argument tree (anything `isLeaf` accepts; Tensors by default). */
export function mapArgTree<A, B>(
  tree: unknown,
  fn: (leaf: A) => B,
  isLeaf: (v: unknown) => v is A = ((v: unknown) => v instanceof Tensor) as (v: unknown) => v is A,
): unknown {
  if (isLeaf(tree)) return fn(tree);
  if (Array.isArray(tree)) return tree.map((v) => mapArgTree(v, fn, isLeaf));
  if (tree !== null && typeof tree === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(tree)) out[k] = mapArgTree(v, fn, isLeaf);
    return out;
  }
  return tree;
}
