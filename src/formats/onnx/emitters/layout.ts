import type { LayerConfig } from "../../../ir/config.js";
import type { OnnxBuilder } from "../builder.js";
import { toChannelsFirstPerm, toChannelsLastPerm } from "../tensor-data.js";

/** Keras's `data_format` of a layer: "channels_last" unless the config says channels_first (Keras 1: "th"). */
export function isChannelsFirst(config: LayerConfig): boolean {
  const v = config.raw.data_format ?? config.raw.dim_ordering ?? config.get("data_format");
  return v === "channels_first" || v === "th";
}

/**
 * Runs a channels-first ONNX op (Conv, pooling, Resize) on a Keras tensor: a Transpose into NC... before
 * and back to N...C after when the layer is channels-last. The layout pass removes the pairs that meet.
 */
export function channelsFirstRegion(
  g: OnnxBuilder,
  x: string,
  rank: number,
  channelsFirst: boolean,
  body: (x: string) => string,
): string {
  if (channelsFirst) return body(x);
  const y = body(g.transpose(x, toChannelsFirstPerm(rank)));
  return g.transpose(y, toChannelsLastPerm(rank));
}

/** The spatial axes of a rank-`rank` tensor in the layer's data format. */
export function spatialAxes(rank: number, channelsFirst: boolean): number[] {
  return Array.from({ length: rank - 2 }, (_, i) => (channelsFirst ? i + 2 : i + 1));
}

/** The channel axis (non-negative). */
export function channelAxis(rank: number, channelsFirst: boolean): number {
  return channelsFirst ? 1 : rank - 1;
}

/** A Reshape target for a Keras shape: the batch copied (0), known dims kept, one unknown dim as -1. */
export function reshapeTarget(shape: readonly (number | null)[]): number[] | null {
  const rest = shape.slice(1).map((d) => (d === null ? -1 : d));
  if (rest.filter((d) => d === -1).length > 1) return null;
  return [0, ...rest];
}
