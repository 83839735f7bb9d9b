import { defineElementwiseMerge } from "./merge-base.js";
import { operand, resultType } from "./numpy-ops.js";

/**
 * `keras.layers.Average(**kwargs)`: elementwise mean of a list of inputs. The operation
 * `keras.ops.average(x, axis=None, weights=None)` shares the class name: it reduces `axis` (all axes
 * when None) and gives a float dtype.
 */
export const Average = defineElementwiseMerge("Average", {
  op(ctx) {
    const x = operand(ctx, ctx.args[0] ?? ctx.kwargs.x);
    const dtype = resultType(x.dtype, "weak_float");
    const axis = ctx.config.get("axis");
    if (axis === null || axis === undefined) return { shape: [], dtype };
    const axes = ctx.config.intList("axis").map((a) => (a < 0 ? a + x.shape.length : a));
    if (axes.some((a) => a < 0 || a >= x.shape.length))
      ctx.fail(`axis ${JSON.stringify(axis)} is out of bounds for an input of rank ${x.shape.length}.`);
    return { shape: x.shape.filter((_, i) => !axes.includes(i)), dtype };
  },
});
