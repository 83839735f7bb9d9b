import type { CallContext } from "../../ir/kind.js";
import type { Shape } from "../../ir/shape.js";
import { formatShape } from "../../ir/shape.js";
import { compatConfig, invalidConfig } from "../config-compat.js";
import { formatTuple, readTuple } from "../conv/conv-options.js";
import { singleInput } from "../input-spec.js";
import { poolOutputLength, readDataFormat, spatialDims, withSpatial } from "../shape-arith.js";

/**
 * Keras's `BasePooling(pool_size, strides, pool_dimensions, pool_mode, padding="valid", data_format=None)`
 * (keras/src/layers/pooling/base_pooling.py): Max/AveragePooling1D/2D/3D. `strides=None` means `pool_size`.
 */
export function poolingDefaults(poolSize?: number | number[]): Record<string, unknown> {
  return {
    ...(poolSize === undefined ? {} : { pool_size: poolSize }),
    strides: null,
    padding: "valid",
    data_format: null,
  };
}

/** `compute_pooling_output_shape(input_shape, pool_size, strides, padding, data_format)`. */
export function poolingOutputs(ctx: CallContext, rank: number): Shape[] {
  const config = compatConfig(ctx);
  const pool = readTuple(ctx, config, "pool_size", rank);
  const strides = config.get("strides") == null ? pool : readTuple(ctx, config, "strides", rank, true);
  if (strides.includes(0)) {
    invalidConfig(
      ctx,
      `\`strides\` cannot contain 0 (the output length would be infinite). Received: strides=${formatTuple(strides)}`,
    );
  }
  const padding = config.oneOf("padding", ["valid", "same"] as const);
  const format = readDataFormat(config);
  const x = singleInput(ctx, { ndim: rank + 2 });
  const spatial = spatialDims(x.shape, format).map((n, i) => poolOutputLength(n, pool[i]!, strides[i]!, padding));
  if (spatial.some((d) => d !== null && d <= 0)) {
    ctx.fail(
      `Computed output size would be zero or negative. Received: inputs.shape=${formatShape(x.shape)}, ` +
        `pool_size=${formatTuple(pool)}, strides=${formatTuple(strides)}, padding=${padding}.`,
    );
  }
  const channels = format === "channels_last" ? x.shape[rank + 1]! : x.shape[1]!;
  return [withSpatial(x.shape[0] ?? null, spatial, channels, format)];
}
