import type { Shape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";
import { formatShapes, mergeInputs } from "./merge-base.js";

/** Python's index into a list of length n (negative from the end); null when out of range. */
function pyIndex(axis: number, n: number): number | null {
  const i = axis < 0 ? axis + n : axis;
  return i >= 0 && i < n ? i : null;
}

/**
 * `keras.layers.Concatenate(axis=-1, **kwargs)`: joins a list of inputs along `axis`; every other axis
 * (batch included) must agree where known. The joined size is unknown as soon as one input's is.
 */
export const Concatenate = defineLayer({
  className: "Concatenate",
  defaults: { axis: -1 },
  outputs(ctx) {
    const axis = ctx.config.int("axis");
    const shapes = mergeInputs(ctx, "A `Concatenate` layer");
    const mismatch = () =>
      ctx.fail(
        "A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. " +
          `Received: input_shape=${formatShapes(shapes)}`,
      );
    // Concatenate.build: drop the concatenation axis, then compare what is left.
    const reduced = shapes.map((s): Shape => {
      if (!(s.length > axis)) return s;
      const i = pyIndex(axis, s.length);
      if (i === null)
        ctx.fail(
          `axis ${axis} is out of bounds for input of rank ${s.length}. Received: input_shape=${formatShapes(shapes)}`,
        );
      return s.filter((_, k) => k !== i);
    });
    if (new Set(reduced.map((s) => s.length)).size > 1) mismatch();
    for (let k = 0; k < reduced[0]!.length; k++) {
      if (new Set(reduced.map((s) => s[k]).filter((d) => d !== null)).size > 1) mismatch();
    }
    // compute_output_shape
    const out = [...shapes[0]!];
    const i = pyIndex(axis, out.length);
    if (i === null)
      return ctx.fail(`axis ${axis} is out of bounds for inputs of rank ${out.length}. Received: axis=${axis}`);
    for (const s of shapes.slice(1)) {
      const d = s[i];
      if (out[i] === null || d === null || d === undefined) {
        out[i] = null;
        break;
      }
      out[i] = out[i]! + d;
    }
    return [out];
  },
});
