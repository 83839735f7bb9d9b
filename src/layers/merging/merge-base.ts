import type { TensorSpec } from "../../ir/graph.js";
import type { CallContext, LayerKind } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { formatShape } from "../../ir/shape.js";
import { defineLayer } from "../define.js";

const isSpec = (v: unknown): v is TensorSpec =>
  !!v && typeof v === "object" && !Array.isArray(v) && Array.isArray((v as TensorSpec).shape);

/** Python's repr of a list of shapes: `[(None, 6), (None, 3)]`. */
export function formatShapes(shapes: Shape[]): string {
  return `[${shapes.map(formatShape).join(", ")}]`;
}

/**
 * The list a merge layer is called on (`Add()([a, b])`). Keras rejects a bare tensor: "A merge layer
 * should be called on a list of inputs".
 */
export function mergeInputs(ctx: CallContext, what = "A merge layer"): Shape[] {
  const first = ctx.args[0];
  if (!Array.isArray(first) || !first.every(isSpec)) {
    const got = isSpec(first) ? formatShape(first.shape) : JSON.stringify(first);
    return ctx.fail(
      `${what} should be called on a list of inputs. Received: input_shape=${got} (not a list of shapes)`,
    );
  }
  if (first.length < 1) ctx.fail(`${what} should be called on a list of at least 1 input. Received 0 inputs.`);
  return first.map((s) => s.shape);
}

/**
 * Keras's `Merge._compute_elemwise_op_output_shape`: aligns the shapes at their last axes (the shorter
 * one is broadcast over the leading axes of the longer one); a 1 takes the other size, None wins over
 * everything, two different known sizes are an error.
 */
export function elementwiseShape(ctx: CallContext, a: Shape, b: Shape): Shape {
  if (a.length < b.length) return elementwiseShape(ctx, b, a);
  if (b.length === 0) return a;
  const out = a.slice(0, a.length - b.length);
  a.slice(a.length - b.length).forEach((i, k) => {
    const j = b[k]!;
    if (i === null || j === null) out.push(null);
    else if (i === 1) out.push(j);
    else if (j === 1) out.push(i);
    else if (i !== j) {
      ctx.fail(`Inputs have incompatible shapes. Received shapes ${formatShape(a)} and ${formatShape(b)}`);
    } else out.push(i);
  });
  return out;
}

/**
 * `Merge.build` + `Merge.compute_output_shape`: one batch size at most, the non-batch axes broadcast
 * pairwise from the first input on, and the known batch size (if any) in front.
 */
export function broadcastMergeShape(ctx: CallContext, shapes: Shape[]): Shape {
  const batches = new Set(shapes.map((s) => s[0]).filter((d) => d !== null && d !== undefined));
  if (batches.size > 1) {
    ctx.fail(`Cannot merge tensors with different batch sizes. Received tensors with shapes ${formatShapes(shapes)}`);
  }
  let out = shapes[0]!.slice(1);
  for (const s of shapes.slice(1)) out = elementwiseShape(ctx, out, s.slice(1));
  return [batches.size === 1 ? [...batches][0]! : null, ...out];
}

/**
 * A broadcasting merge layer (`Add`, `Subtract`, `Multiply`, `Average`, `Maximum`, `Minimum`): a few
 * lines over Keras's `Merge` base. `exactly` pins the number of inputs (Subtract: 2). The `keras.ops`
 * operations of the same class names (`x + 3`) are kinds of their own, in src/layers/ops/.
 */
export function defineElementwiseMerge(className: string, options: { exactly?: number } = {}): LayerKind {
  return defineLayer({
    className,
    defaults: {},
    outputs(ctx) {
      const shapes = mergeInputs(ctx);
      const out = broadcastMergeShape(ctx, shapes);
      if (options.exactly !== undefined && shapes.length !== options.exactly) {
        ctx.fail(
          `A \`${className}\` layer should be called on exactly ${options.exactly} inputs. Received: input_shape=${formatShapes(shapes)}`,
        );
      }
      return [out];
    },
  });
}
