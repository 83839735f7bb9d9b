import type { CallContext } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { singleInput } from "../input-spec.js";
import { readDataFormat } from "../shape-arith.js";
import { checkUnitInterval } from "./rate.js";

/**
 * Keras's `BaseSpatialDropout(rate, seed=None)` (keras/src/layers/regularization/spatial_dropout.py):
 * drops whole channels; the output has the input's shape, and the input must have rank `rank + 2`.
 */
export function spatialDropoutOutputs(ctx: CallContext, rank: number): Shape[] {
  checkUnitInterval(ctx, "rate");
  if (rank > 1) readDataFormat(ctx.config);
  return [singleInput(ctx, { ndim: rank + 2 }).shape];
}
