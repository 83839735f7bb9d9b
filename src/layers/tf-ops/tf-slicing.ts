import type { TensorSpec } from "../../ir/graph.js";
import type { Dim } from "../../ir/shape.js";
import { isSpec } from "../ops/define-op.js";
import { type TfCall, type TfRule, tfShape } from "./tf-call.js";

/*
 * `x[...]` on a symbolic tensor: tf.keras 2 records `SlicingOpLambda(tf.__operators__.getitem)` with
 * `{"slice_spec": ...}`: an int, a slice as `{"start", "stop", "step"}`, `tf.newaxis` as null, `...` as
 * `{"class_name": "__ellipsis__"}`, a tuple as a list of those. TensorFlow's strided slice gives the
 * shapes Python gives, so Keras 3's GetItem computes them once the key is in Keras 3's serialized form.
 */

/** A key element: an index, None (new axis), Ellipsis, or a slice whose bounds may be tensors. */
export type KeyElement = number | null | "..." | { start: unknown; stop: unknown; step: unknown };

const ELLIPSIS = { class_name: "__ellipsis__", config: {} };

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** One element of a tf.keras 2 slice spec. */
function keyElement(call: TfCall, v: unknown): KeyElement {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" && Number.isInteger(v)) return v;
  if (isObject(v) && v.class_name === "__ellipsis__") return "...";
  if (isObject(v) && ("start" in v || "stop" in v || "step" in v))
    return { start: v.start, stop: v.stop, step: v.step };
  if (isSpec(v) && v.shape.length === 0 && /int/.test(v.dtype)) return 0;
  return call.fail(
    `Only integers, slices (\`:\`), ellipsis (\`...\`), tf.newaxis (\`None\`) and scalar tensors are valid indices. Received: ${JSON.stringify(v)?.slice(0, 80)}`,
  );
}

/**
 * The shape of `x[key]`: Keras 3's GetItem on the key, where a slice with a tensor bound is a full slice
 * of a dim made unknown first (its length is known only when the model runs).
 */
export function sliceShape(call: TfCall, x: TensorSpec, key: KeyElement[]): TensorSpec {
  const rank = x.shape.length;
  const ellipsis = key.indexOf("...");
  const consumes = (k: KeyElement) => k !== null && k !== "...";
  const after = ellipsis < 0 ? 0 : key.slice(ellipsis + 1).filter(consumes).length;
  const shape: Dim[] = [...x.shape];
  let dim = 0;
  const kerasKey = key.map((k) => {
    if (k === "...") {
      dim = rank - after;
      return ELLIPSIS;
    }
    if (k === null) return null;
    const at = dim++;
    if (typeof k === "number") return k;
    const bound = (b: unknown): number | null => (typeof b === "number" ? b : null);
    if ([k.start, k.stop, k.step].some(isSpec)) {
      if (at < rank) shape[at] = null;
      return { class_name: "__slice__", config: { start: null, stop: null, step: null } };
    }
    for (const b of [k.start, k.stop, k.step]) {
      if (b !== null && b !== undefined && typeof b !== "number")
        call.fail(`slice bounds must be integers. Received: ${JSON.stringify(b)}`);
    }
    if (k.step === 0) call.fail("slice step cannot be zero");
    return { class_name: "__slice__", config: { start: bound(k.start), stop: bound(k.stop), step: bound(k.step) } };
  });
  return call.keras1("numpy", "GetItem", [{ shape, dtype: x.dtype }, kerasKey]);
}

/** `__operators__.getitem(tensor, slice_spec, var=None)`. */
const getitem: TfRule = (call) => {
  const x = call.tensor(0, "tensor");
  const spec = call.raw(1, "slice_spec");
  const elements = Array.isArray(spec) ? spec : [spec];
  return sliceShape(
    call,
    x,
    elements.map((v) => keyElement(call, v)),
  );
};

/**
 * `boolean_mask(tensor, mask, name="boolean_mask", axis=None)`: the masked dims (`mask`'s rank, from
 * `axis`, 0 by default) collapse into one of unknown size.
 */
const booleanMask: TfRule = (call) => {
  const x = call.tensor(0, "tensor");
  const mask = call.operand(1, "mask", "bool");
  const k = mask.shape.length;
  const axis = call.given(3, "axis") ? call.int(3, "axis") : 0;
  const a = axis < 0 ? axis + x.shape.length : axis;
  if (k === 0) call.fail("mask cannot be scalar.");
  if (a < 0 || a + k > x.shape.length) {
    call.fail(`mask of rank ${k} at axis ${axis} does not fit a tensor of shape ${tfShape(x.shape)}`);
  }
  mask.shape.forEach((d, i) => {
    const t = x.shape[a + i];
    if (d !== null && t !== null && t !== d) {
      call.fail(`Shapes ${tfShape(x.shape.slice(a, a + k))} and ${tfShape(mask.shape)} are incompatible`);
    }
  });
  return { shape: [...x.shape.slice(0, a), null, ...x.shape.slice(a + k)], dtype: x.dtype };
};

export const slicingFunctions: Record<string, TfRule> = {
  "__operators__.getitem": getitem,
  boolean_mask: booleanMask,
  "compat.v1.boolean_mask": booleanMask,
};
