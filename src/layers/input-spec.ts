import type { DType, TensorSpec } from "../ir/graph.js";
import { isFloatDtype } from "../ir/dtype.js";
import type { CallContext } from "../ir/kind.js";
import type { Dim } from "../ir/shape.js";
import { formatShape } from "../ir/shape.js";

/**
 * What a layer expects of its first positional input, as Keras's `InputSpec`
 * (keras/src/layers/input_spec.py): an exact rank, a rank range, and known sizes on some axes.
 */
export interface InputRequirement {
  ndim?: number;
  minNdim?: number;
  maxNdim?: number;
  /** axis (negative counts from the end) -> required size; null accepts anything. */
  axes?: Record<number, Dim>;
}

const isSpec = (v: unknown): v is TensorSpec =>
  v !== null && typeof v === "object" && !Array.isArray(v) && Array.isArray((v as TensorSpec).shape);

/** Every tensor of the first positional argument (Keras's `call_spec.first_arg`), flattened. */
export function firstArgTensors(ctx: CallContext): TensorSpec[] {
  const out: TensorSpec[] = [];
  const walk = (v: unknown): void => {
    if (isSpec(v)) out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(walk);
  };
  walk(ctx.args.length > 0 ? ctx.args[0] : ctx.inputs[0]);
  return out;
}

/**
 * The one tensor a single-input layer was called on (the first positional argument; other tensors such
 * as `mask=` are not it). A list holding a single tensor counts as that tensor, as in Keras.
 */
export function singleInput(ctx: CallContext, requirement?: InputRequirement): TensorSpec {
  const tensors = firstArgTensors(ctx);
  if (tensors.length !== 1) {
    ctx.fail(
      `expects 1 input tensor, but it received ${tensors.length} input tensors. Received: ${shapesText(tensors)}`,
    );
  }
  const x = tensors[0]!;
  if (requirement) checkInput(ctx, x, requirement);
  return x;
}

/** Keras's `assert_input_compatibility` for one input; messages follow Keras's. */
export function checkInput(ctx: CallContext, x: TensorSpec, spec: InputRequirement, index = 0): void {
  const ndim = x.shape.length;
  const prefix = `input ${index} is incompatible with the layer:`;
  const full = `Full shape received: ${formatShape(x.shape)}`;
  if (spec.ndim !== undefined && ndim !== spec.ndim) {
    ctx.fail(`${prefix} expected ndim=${spec.ndim}, found ndim=${ndim}. ${full}`);
  }
  if (spec.maxNdim !== undefined && ndim > spec.maxNdim) {
    ctx.fail(`${prefix} expected max_ndim=${spec.maxNdim}, found ndim=${ndim}. ${full}`);
  }
  if (spec.minNdim !== undefined && ndim < spec.minNdim) {
    ctx.fail(`${prefix} expected min_ndim=${spec.minNdim}, found ndim=${ndim}. ${full}`);
  }
  for (const [key, value] of Object.entries(spec.axes ?? {})) {
    const axis = Number(key);
    const got = x.shape[axis < 0 ? ndim + axis : axis];
    if (value !== null && got !== null && got !== undefined && got !== value) {
      ctx.fail(
        `${prefix} expected axis ${axis} of input shape to have value ${value}, but received input with shape ${formatShape(x.shape)}`,
      );
    }
  }
}

/**
 * The dtype a layer that passes its input through (Identity, Flatten, Reshape, Permute) gives its output:
 * Keras autocasts floating inputs to the compute dtype and leaves integer and boolean inputs alone.
 */
export function autocastDtype(ctx: CallContext, x: TensorSpec): DType {
  return isFloatDtype(x.dtype) ? ctx.computeDtype : x.dtype;
}

/** `(None, 3), (None, 4)` */
export function shapesText(tensors: TensorSpec[]): string {
  return tensors.map((t) => formatShape(t.shape)).join(", ") || "none";
}
