import type { CallContext } from "../../ir/kind.js";
import type { Dim } from "../../ir/shape.js";
import { formatShape, shapeSize } from "../../ir/shape.js";
import { invalidConfig } from "../config-compat.js";
import { defineLayer } from "../define.js";
import { autocastDtype, singleInput } from "../input-spec.js";

/**
 * `keras.layers.Reshape(target_shape)`: `(batch, *target_shape)` with one `-1` resolved from the input's
 * size when every input dimension is known (`compute_reshape_output_shape`). Keeps the input's dtype.
 */
export const Reshape = defineLayer({
  className: "Reshape",
  defaults: {},
  outputs(ctx) {
    const x = singleInput(ctx);
    return [{ shape: [x.shape[0] ?? null, ...reshapeDims(ctx, x.shape.slice(1))], dtype: autocastDtype(ctx, x) }];
  },
});

function reshapeDims(ctx: CallContext, input: Dim[]): Dim[] {
  const target = ctx.config.shape("target_shape");
  const text = `(${target.map((d) => (d === null ? "None" : d)).join(", ")}${target.length === 1 ? "," : ""})`;
  if (target.some((d) => d !== null && d < -1) || target.filter((d) => d === -1).length > 1) {
    invalidConfig(
      ctx,
      `Each dimension in \`target_shape\` must be a non-negative integer, or \`-1\` for a single unknown dimension. ` +
        `Received: target_shape=${text}.`,
    );
  }
  const inputSize = shapeSize(input);
  if (inputSize === null || target.includes(null)) return target.map((d) => (d === -1 ? null : d));
  const known = target.filter((d) => d !== -1).reduce<number>((a, d) => a * (d as number), 1);
  if (!target.includes(-1)) {
    if (known !== inputSize) {
      ctx.fail(
        `The total size of the tensor must be unchanged. Received: input_shape=${formatShape(input)}, target_shape=${text}`,
      );
    }
    return target;
  }
  if (known === 0 || inputSize % known !== 0) {
    ctx.fail(
      `The total size of the tensor must be unchanged, however, the input size cannot by divided by the specified ` +
        `dimensions in target_shape. Received: input_shape=${formatShape(input)}, target_shape=${text}`,
    );
  }
  return target.map((d) => (d === -1 ? inputSize / known : d));
}
