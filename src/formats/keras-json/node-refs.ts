import { FormatError } from "../../ir/errors.js";
import type { ArgTree } from "../../ir/graph.js";
import { mapArgTree } from "../../ir/graph.js";
import { isObject, type Json } from "./parse.js";

/** A reference to a tensor as configs write it: `[layer name, node index, tensor index]`. */
export interface TensorRef {
  readonly ref: true;
  layer: string;
  node: number;
  tensor: number;
}

export type Dialect = "keras2" | "keras3";

/** One inbound node of a layer entry, with tensors as references not yet resolved. */
export interface NodeData {
  args: ArgTree<TensorRef>[];
  kwargs: Record<string, ArgTree<TensorRef>>;
  dialect: Dialect;
}

export const isRef = (v: unknown): v is TensorRef => isObject(v) && v.ref === true;

function makeRef(layer: unknown, node: unknown, tensor: unknown, where: string): TensorRef {
  if (
    typeof layer !== "string" ||
    !Number.isInteger(node) ||
    !Number.isInteger(tensor) ||
    (node as number) < 0 ||
    (tensor as number) < 0
  ) {
    throw new FormatError(
      `${where}: a tensor reference must be [layer name, node index, tensor index]. Received: ${JSON.stringify([layer, node, tensor])}`,
    );
  }
  return { ref: true, layer, node: node as number, tensor: tensor as number };
}

const isKerasTensor = (v: unknown): v is Json => isObject(v) && v.class_name === "__keras_tensor__";

/**
 * Layers that tf.keras 2 calls with their first argument exactly as serialized
 * (`_preserve_input_structure_in_config`): TFOpLambda and its kin. Their single-tensor node is a bare
 * `[name, node, tensor, kwargs]` entry, and a list of one tensor stays a list.
 */
export const PRESERVES_INPUT_STRUCTURE = new Set([
  "TFOpLambda",
  "SlicingOpLambda",
  "ClassMethod",
  "InstanceMethod",
  "InstanceProperty",
]);

/** tf.keras 2 writes a non-tensor element of the first argument as `["_CONSTANT_VALUE", -1, value, kwargs?]`. */
const CONSTANT_VALUE = "_CONSTANT_VALUE";

/**
 * Decodes one entry of a layer's `inbound_nodes`. Keras 3 writes `{"args": [...], "kwargs": {...}}` with
 * `__keras_tensor__` objects; Keras 2 writes the first call argument's structure with each tensor as
 * `[name, node, tensor, kwargs?]` (tf.keras's `Node.serialize`), called as `layer(x)` for one tensor and
 * `layer([x, y, ...])` otherwise (`unnest_if_single_tensor`, skipped for `preserveStructure` layers), with
 * tensors in kwargs written as `[name, node, tensor]`.
 */
export function decodeNode(
  node: unknown,
  where: string,
  isLayerName: (name: string) => boolean,
  preserveStructure = false,
): NodeData {
  if (isObject(node)) {
    const toRef = (t: Json): TensorRef => {
      const history = isObject(t.config) ? t.config.keras_history : undefined;
      if (!Array.isArray(history) || history.length !== 3) {
        throw new FormatError(
          `${where}: a __keras_tensor__ needs keras_history [layer, node, tensor]. Received: ${JSON.stringify(t).slice(0, 200)}`,
        );
      }
      return makeRef(history[0], history[1], history[2], where);
    };
    const args = node.args ?? [];
    const kwargs = node.kwargs ?? {};
    if (!Array.isArray(args) || !isObject(kwargs)) {
      throw new FormatError(
        `${where}: an inbound node needs "args" (a list) and "kwargs" (an object). Received: ${JSON.stringify(node).slice(0, 200)}`,
      );
    }
    return {
      args: mapArgTree(args, toRef, isKerasTensor) as ArgTree<TensorRef>[],
      kwargs: mapArgTree(kwargs, toRef, isKerasTensor) as Record<string, ArgTree<TensorRef>>,
      dialect: "keras3",
    };
  }
  if (!Array.isArray(node)) {
    throw new FormatError(
      `${where}: an inbound node must be a list (Keras 2) or an object (Keras 3). Received: ${JSON.stringify(node).slice(0, 200)}`,
    );
  }
  let kwargs: Record<string, ArgTree<TensorRef>> = {};
  const leaves: ArgTree<TensorRef>[] = [];
  const decodeEntry = (entry: unknown[]): ArgTree<TensorRef> => {
    if (entry.length < 3 || entry.length > 4) {
      throw new FormatError(
        `${where}: a Keras 2 inbound entry must be [layer, node, tensor, kwargs?]. Received: ${JSON.stringify(entry)}`,
      );
    }
    if (entry.length === 4 && isObject(entry[3])) kwargs = decodeLegacyKwargs(entry[3], isLayerName);
    const leaf =
      entry[0] === CONSTANT_VALUE && entry[1] === -1
        ? (entry[2] as ArgTree<TensorRef>)
        : makeRef(entry[0], entry[1], entry[2], where);
    leaves.push(leaf);
    return leaf;
  };
  // An entry starts with its layer name; any other list is structure (a list of tensors, nested lists).
  const decodeTree = (v: unknown): ArgTree<TensorRef> => {
    if (!Array.isArray(v)) {
      throw new FormatError(
        `${where}: a Keras 2 inbound entry must be [layer, node, tensor, kwargs?]. Received: ${JSON.stringify(v)}`,
      );
    }
    return typeof v[0] === "string" ? decodeEntry(v) : v.map(decodeTree);
  };
  const first = decodeTree(node);
  const args: ArgTree<TensorRef>[] = [!preserveStructure && leaves.length === 1 ? leaves[0]! : first];
  return { args, kwargs, dialect: "keras2" };
}

/** Keras 2 writes tensors in call kwargs (MultiHeadAttention's `value`, RNN `initial_state`) as triples. */
function decodeLegacyKwargs(kwargs: Json, isLayerName: (name: string) => boolean): Record<string, ArgTree<TensorRef>> {
  const isTriple = (v: unknown): v is [string, number, number] =>
    Array.isArray(v) &&
    v.length === 3 &&
    typeof v[0] === "string" &&
    isLayerName(v[0]) &&
    Number.isInteger(v[1]) &&
    Number.isInteger(v[2]);
  const convert = (v: unknown): unknown => {
    if (isTriple(v)) return { ref: true, layer: v[0], node: v[1], tensor: v[2] } satisfies TensorRef;
    if (Array.isArray(v)) return v.map(convert);
    if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, convert(x)]));
    return v;
  };
  return convert(kwargs) as Record<string, ArgTree<TensorRef>>;
}

/** Every reference in a node, in argument order. */
export function nodeRefs(node: NodeData): TensorRef[] {
  const out: TensorRef[] = [];
  mapArgTree([node.args, node.kwargs], (r: TensorRef) => out.push(r), isRef);
  return out;
}

/**
 * Decodes `input_layers` / `output_layers`: one triple (Keras 3, single tensor), a list of triples, or a
 * record of them (Keras 3 dict inputs/outputs).
 */
export function decodeIO(
  value: unknown,
  where: string,
): { refs: TensorRef[]; structure: { kind: "single" } | { kind: "list" } | { kind: "dict"; keys: string[] } } {
  const isTriple = (v: unknown) => Array.isArray(v) && v.length === 3 && typeof v[0] === "string";
  if (isTriple(value)) {
    const v = value as unknown[];
    return { refs: [makeRef(v[0], v[1], v[2], where)], structure: { kind: "single" } };
  }
  if (Array.isArray(value)) {
    return {
      refs: value.map((v) => {
        if (!isTriple(v))
          throw new FormatError(`${where}: expected [layer, node, tensor]. Received: ${JSON.stringify(v)}`);
        return makeRef(v[0], v[1], v[2], where);
      }),
      structure: { kind: "list" },
    };
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    const refs = keys.map((k) => {
      const v = value[k];
      if (!isTriple(v))
        throw new FormatError(`${where}: expected [layer, node, tensor] for '${k}'. Received: ${JSON.stringify(v)}`);
      const t = v as unknown[];
      return makeRef(t[0], t[1], t[2], where);
    });
    return { refs, structure: { kind: "dict", keys } };
  }
  throw new FormatError(
    `${where}: expected a tensor reference, a list or a record of them. Received: ${JSON.stringify(value)?.slice(0, 100)}`,
  );
}
