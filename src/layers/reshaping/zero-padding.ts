import type { CallContext } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { compatConfig } from "../config-compat.js";
import { singleInput } from "../input-spec.js";
import { mapSpatial, readDataFormat } from "../shape-arith.js";
import { readPairs } from "./pairs.js";

/** ZeroPadding1D/2D/3D's `compute_output_shape`: each known spatial length gains `before + after`. */
export function zeroPaddingOutputs(ctx: CallContext, rank: number): Shape[] {
  const pads = readPairs(ctx, "padding", rank);
  const format = readDataFormat(compatConfig(ctx));
  const x = singleInput(ctx, { ndim: rank + 2 });
  return [mapSpatial(x.shape, format, (d, i) => (d === null ? null : d + pads[i]![0] + pads[i]![1]))];
}
