import type { ArgTree, Call, Layer, Tensor } from "../../ir/graph.js";
import { Tensor as TensorClass, forEachTensor, mapArgTree } from "../../ir/graph.js";
import type { Json } from "./parse.js";

/**
 * Classes whose Keras 3 `build` is the base class default, so `get_build_config()` returns nothing and
 * Keras writes no `build_config` (checked against the fixtures Keras 3.16 wrote).
 */
const NO_BUILD_CONFIG = new Set([
  "InputLayer",
  "Activation",
  "ActivityRegularization",
  "AlphaDropout",
  "Dropout",
  "SpatialDropout1D",
  "SpatialDropout2D",
  "SpatialDropout3D",
  "GaussianDropout",
  "GaussianNoise",
  "ELU",
  "LeakyReLU",
  "ReLU",
  "Softmax",
  "Identity",
  "Masking",
  "Lambda",
  "Reshape",
  "UnitNormalization",
  ...["Average", "Max"].flatMap((k) =>
    [1, 2, 3].flatMap((d) => [`${k}Pooling${d}D`, `${k === "Average" ? "Avg" : k}Pool${d}D`]),
  ),
  ...["Average", "Max"].flatMap((k) =>
    [1, 2, 3].flatMap((d) => [`Global${k}Pooling${d}D`, `Global${k === "Average" ? "Avg" : k}Pool${d}D`]),
  ),
]);

/**
 * The names of `call()`'s tensor parameters, for layers whose `build` takes more than one shape
 * (Keras records those as `{"shapes_dict": {"<param>_shape": ...}}`), and for writing extra positional
 * arguments as keyword arguments in the Keras 2 dialect.
 */
export const CALL_PARAMETERS: Record<string, string[]> = {
  MultiHeadAttention: ["query", "value", "key", "query_mask", "value_mask", "key_mask", "attention_mask"],
  GroupedQueryAttention: ["query", "value", "key", "query_mask", "value_mask", "key_mask", "attention_mask"],
  RNN: ["sequences", "initial_state"],
  SimpleRNN: ["sequences", "initial_state"],
  LSTM: ["sequences", "initial_state"],
  GRU: ["sequences", "initial_state"],
  ConvLSTM1D: ["sequences", "initial_state"],
  ConvLSTM2D: ["sequences", "initial_state"],
  ConvLSTM3D: ["sequences", "initial_state"],
  Bidirectional: ["sequences", "initial_state"],
};

const isTensor = (v: unknown): v is Tensor => v instanceof TensorClass;

/** The shapes of an argument whose leaves are all tensors (None where Keras allows a missing one); else undefined. */
function shapeTree(arg: ArgTree<Tensor>): unknown {
  if (isTensor(arg)) return [...arg.shape];
  if (arg === null || typeof arg !== "object") return undefined;
  let tensors = 0;
  let others = 0;
  const visit = (v: unknown): void => {
    if (isTensor(v)) tensors++;
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(visit);
    else if (v !== null) others++;
  };
  visit(arg);
  if (tensors === 0 || others > 0) return undefined;
  return mapArgTree(arg, (t: Tensor) => [...t.shape]);
}

/**
 * The `build_config` Keras 3 writes for a layer built by `call`: `{"input_shape": ...}` when one tensor
 * argument was passed (a list of shapes for a list, as merge layers get), `{"shapes_dict": ...}` keyed by
 * the build method's parameters when several were (`get_shapes_dict`, masks excluded). Undefined where
 * Keras writes none or where we cannot know the parameter names; a layer without `build_config` is still
 * built on its first call when Keras loads the model.
 */
export function keras3BuildConfig(layer: Layer, firstCall: Call | undefined): Json | undefined {
  if (!firstCall || NO_BUILD_CONFIG.has(layer.className)) return undefined;
  const named: [string | number, unknown][] = [];
  firstCall.args.forEach((arg, i) => {
    const shapes = shapeTree(arg);
    if (shapes !== undefined) named.push([i, shapes]);
  });
  for (const [key, arg] of Object.entries(firstCall.kwargs)) {
    if (key === "mask") continue;
    const shapes = shapeTree(arg);
    if (shapes !== undefined) named.push([key, shapes]);
  }
  if (named.length === 0) return undefined;
  if (named.length === 1) return { input_shape: named[0]![1] };
  const params = CALL_PARAMETERS[layer.className];
  if (!params) return undefined;
  const shapesDict: Json = {};
  const ordered = named
    .map(([k, v]) => [typeof k === "number" ? params[k] : k, v] as const)
    .sort((a, b) => params.indexOf(a[0] ?? "") - params.indexOf(b[0] ?? ""));
  for (const [k, v] of ordered) {
    if (k === undefined || !params.includes(k)) return undefined;
    shapesDict[`${k}_shape`] = v;
  }
  return { shapes_dict: shapesDict };
}

/** True when a call argument tree holds at least one tensor. */
export function hasTensor(tree: unknown): boolean {
  let found = false;
  forEachTensor(tree as ArgTree<Tensor>, () => (found = true));
  return found;
}
