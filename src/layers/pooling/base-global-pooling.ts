import type { CallContext } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { compatConfig } from "../config-compat.js";
import { singleInput } from "../input-spec.js";
import { channelDim, readDataFormat } from "../shape-arith.js";

/**
 * Keras's `BaseGlobalPooling(pool_dimensions, data_format=None, keepdims=False)`
 * (keras/src/layers/pooling/base_global_pooling.py): reduces every spatial axis, to 1 with `keepdims`.
 */
export const globalPoolingDefaults: Record<string, unknown> = { data_format: null, keepdims: false };

export function globalPoolingOutputs(ctx: CallContext, rank: number): Shape[] {
  const config = compatConfig(ctx);
  const format = readDataFormat(config);
  const keepdims = config.bool("keepdims");
  const x = singleInput(ctx, { ndim: rank + 2 });
  const batch = x.shape[0] ?? null;
  const channels = channelDim(x.shape, format);
  const ones = keepdims ? Array<number>(rank).fill(1) : [];
  return [format === "channels_last" ? [batch, ...ones, channels] : [batch, channels, ...ones]];
}
