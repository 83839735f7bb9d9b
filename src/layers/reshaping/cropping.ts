import type { CallContext } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { formatShape } from "../../ir/shape.js";
import { compatConfig } from "../config-compat.js";
import { singleInput } from "../input-spec.js";
import { mapSpatial, readDataFormat } from "../shape-arith.js";
import { readPairs } from "./pairs.js";

/**
 * Cropping1D/2D/3D's `compute_output_shape`: each spatial length loses `before + after`; a known length
 * that would become zero or negative is an error, as in Keras.
 */
export function croppingOutputs(ctx: CallContext, rank: number): Shape[] {
  const crops = readPairs(ctx, "cropping", rank);
  const format = rank === 1 ? "channels_last" : readDataFormat(compatConfig(ctx));
  const x = singleInput(ctx, { ndim: rank + 2 });
  let tooSmall = false;
  const out = mapSpatial(x.shape, format, (d, i) => {
    if (d === null) return null;
    const length = d - crops[i]![0] - crops[i]![1];
    if (length <= 0) tooSmall = true;
    return length;
  });
  if (tooSmall) {
    ctx.fail(
      `Values in \`cropping\` argument should be smaller than the corresponding spatial dimension of the input. ` +
        `Received: input_shape=${formatShape(x.shape)}, cropping=${JSON.stringify(crops)}`,
    );
  }
  return [out];
}
