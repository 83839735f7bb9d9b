import { LayerConfig } from "../ir/config.js";
import { FormatError } from "../ir/errors.js";
import type { CallContext } from "../ir/kind.js";

/**
 * Keras 1 wrote some hyperparameters under other names (`nb_filter`, `border_mode`, `subsample`,
 * `dim_ordering`, `pool_length`, ...). This reads a layer's config with those translated to the Keras 2/3
 * names wherever the Keras 2/3 name is absent; the stored config is not touched. Keras 2 and 3 configs
 * pass through unchanged.
 */
export function compatConfig(ctx: CallContext): LayerConfig {
  const raw = ctx.config.raw;
  const extra: Record<string, unknown> = {};
  const put = (key: string, value: unknown) => {
    if (raw[key] === undefined && value !== undefined) extra[key] = value;
  };
  for (const [old, key] of Object.entries(KERAS1_NAMES)) put(key, raw[old]);
  if (raw.dim_ordering !== undefined) put("data_format", DIM_ORDERING[String(raw.dim_ordering)] ?? raw.dim_ordering);
  if (raw.nb_row !== undefined) put("kernel_size", [raw.nb_row, raw.nb_col]);
  if (raw.kernel_dim1 !== undefined) put("kernel_size", [raw.kernel_dim1, raw.kernel_dim2, raw.kernel_dim3]);
  if (Object.keys(extra).length === 0) return ctx.config;
  return new LayerConfig({ ...extra, ...raw }, ctx.config.defaults, ctx.where);
}

const KERAS1_NAMES: Record<string, string> = {
  nb_filter: "filters",
  filter_length: "kernel_size",
  border_mode: "padding",
  subsample: "strides",
  subsample_length: "strides",
  atrous_rate: "dilation_rate",
  bias: "use_bias",
  pool_length: "pool_size",
  stride: "strides",
  length: "size",
  p: "rate",
  sigma: "stddev",
};

const DIM_ORDERING: Record<string, string | null> = { th: "channels_first", tf: "channels_last", default: null };

/** A hyperparameter Keras would have rejected when constructing the layer. */
export function invalidConfig(ctx: CallContext, message: string): never {
  throw new FormatError(`${ctx.where}: ${message}`);
}
