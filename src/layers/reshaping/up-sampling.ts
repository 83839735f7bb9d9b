import type { CallContext } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { compatConfig } from "../config-compat.js";
import { readTuple } from "../conv/conv-options.js";
import { singleInput } from "../input-spec.js";
import { mapSpatial, readDataFormat } from "../shape-arith.js";

/** UpSampling1D/2D/3D's `compute_output_shape`: each known spatial length is multiplied by its `size`. */
export function upSamplingOutputs(ctx: CallContext, rank: number): Shape[] {
  const config = compatConfig(ctx);
  const size = rank === 1 ? [config.positiveInt("size")] : readTuple(ctx, config, "size", rank);
  const format = rank === 1 ? "channels_last" : readDataFormat(config);
  const x = singleInput(ctx, { ndim: rank + 2 });
  return [mapSpatial(x.shape, format, (d, i) => (d === null ? null : d * size[i]!))];
}
