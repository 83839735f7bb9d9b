import type { CallContext } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { readTuple } from "../conv/conv-options.js";
import { singleInput } from "../input-spec.js";
import { channelDim, readDataFormat, withSpatial } from "../shape-arith.js";

/**
 * Keras's `BaseAdaptivePooling(output_size, data_format=None)` (keras/src/layers/pooling/base_adaptive_pooling.py):
 * the spatial dimensions become `output_size` whatever the input's. Keras declares no input spec, but the
 * adaptive pooling ops need `(batch, *spatial, channels)` of rank `rank + 2`, so that is checked here.
 */
export const adaptivePoolingDefaults: Record<string, unknown> = { data_format: null };

export function adaptivePoolingOutputs(ctx: CallContext, rank: number): Shape[] {
  const size = readTuple(ctx, ctx.config, "output_size", rank);
  const format = readDataFormat(ctx.config);
  const x = singleInput(ctx, { ndim: rank + 2 });
  return [withSpatial(x.shape[0] ?? null, size, channelDim(x.shape, format), format)];
}
