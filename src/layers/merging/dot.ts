import { formatShape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";
import { formatShapes, mergeInputs } from "./merge-base.js";
import { invalidConfig } from "../config-compat.js";

/**
 * `keras.layers.Dot(axes, normalize=False, **kwargs)`: batchwise dot product of two inputs along
 * `axes` (an int for both, or one per input). Output: the first input without its axis, then the
 * second without its batch and its axis; a lone batch axis gets a trailing 1.
 */
export const Dot = defineLayer({
  className: "Dot",
  defaults: { normalize: false },
  outputs(ctx) {
    const shapes = mergeInputs(ctx, "A `Dot` layer");
    if (shapes.length !== 2)
      ctx.fail(`A \`Dot\` layer should be called on a list of 2 inputs. Received: input_shape=${formatShapes(shapes)}`);
    const given = ctx.config.intList("axes");
    const isInt = typeof ctx.config.get("axes") === "number";
    if (!isInt && given.length !== 2) {
      invalidConfig(
        ctx,
        `Invalid format for argument \`axes\`: it should contain two elements. Received: axes=${JSON.stringify(given)}`,
      );
    }
    const [s1, s2] = [[...shapes[0]!], [...shapes[1]!]];
    const py = (shape: typeof s1, a: number) => (a < 0 ? a + shape.length : a);
    let axes: [number, number];
    if (isInt) {
      const a = given[0]!;
      // Python's `%` on a negative axis: -1 % 3 == 2.
      axes = a < 0 ? [((a % s1.length) + s1.length) % s1.length, ((a % s2.length) + s2.length) % s2.length] : [a, a];
    } else axes = [py(s1, given[0]!), py(s2, given[1]!)];
    const [a1, a2] = axes;
    if (a1 < 0 || a1 >= s1.length || a2 < 0 || a2 >= s2.length) {
      ctx.fail(
        `axes ${JSON.stringify(given)} are out of bounds for input shapes ${formatShape(s1)} and ${formatShape(s2)}.`,
      );
    }
    // Dot.build compares the two sizes as Python does: None differs from any known size.
    if (s1[a1] !== s2[a2]) {
      const v = (d: number | null | undefined) => (d === null || d === undefined ? "None" : String(d));
      ctx.fail(
        `Incompatible input shapes: axis values ${v(s1[a1])} (at axis ${a1}) != ${v(s2[a2])} (at axis ${a2}). ` +
          `Full input shapes: ${formatShape(s1)}, ${formatShape(s2)}`,
      );
    }
    s1.splice(a1, 1);
    s2.splice(a2, 1);
    s2.splice(0, 1);
    const out = [...s1, ...s2];
    return [out.length === 1 ? [...out, 1] : out];
  },
});
