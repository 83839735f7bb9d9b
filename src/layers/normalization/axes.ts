import type { CallContext } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { formatShape } from "../../ir/shape.js";
import { singleInput as firstInput } from "../input-spec.js";

/** The shape of the one input of a normalization layer (Keras's `input_shape`). */
export function singleInput(ctx: CallContext): Shape {
  return firstInput(ctx).shape;
}

/**
 * Keras's `canonicalize_axes`: each axis in [-rank, rank) made non-negative; out of range raises
 * "axis 3 is out of bounds for an array with dimension 3."
 */
export function canonicalAxes(ctx: CallContext, axes: number[], shape: Shape): number[] {
  const rank = shape.length;
  return axes.map((a) => {
    if (a < -rank || a >= rank) {
      ctx.fail(
        `axis ${a} is out of bounds for an array with dimension ${rank}. Received: input_shape=${formatShape(shape)}`,
      );
    }
    return a < 0 ? a + rank : a;
  });
}

/**
 * The bounds check of `compute_output_shape` in BatchNormalization, GroupNormalization,
 * UnitNormalization and RMSNormalization: "Axis 3 is out of bounds for input shape (None, 4)."
 */
export function checkAxesInBounds(ctx: CallContext, axes: number[], shape: Shape, given: unknown): void {
  for (const a of axes) {
    if (a >= shape.length || a < -shape.length) {
      ctx.fail(
        `Axis ${a} is out of bounds for input shape ${formatShape(shape)}. Received: axis=${JSON.stringify(given)}`,
      );
    }
  }
}

/** Python's `shape[axis]` for an axis already checked to be in bounds. */
export function dimAt(shape: Shape, axis: number): number | null {
  return shape[axis < 0 ? axis + shape.length : axis] ?? null;
}

/** A dimension a weight is built from: unknown means Keras cannot build the layer. */
export function knownDim(ctx: CallContext, shape: Shape, axis: number, what: string): number {
  const d = dimAt(shape, axis);
  if (d === null) {
    ctx.fail(
      `Axis ${axis} of the input must have a known size to build ${what}. Received: input_shape=${formatShape(shape)}`,
    );
  }
  return d;
}
