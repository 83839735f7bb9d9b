import type { LayerKind } from "../ir/kind.js";

/**
 * Keras's base `Layer` constructor arguments, which every layer config carries. Each kind spreads these
 * under its own defaults.
 */
export const baseDefaults: Record<string, unknown> = {
  trainable: true,
  dtype: "float32",
};

/** Declares a layer kind (identity helper that fills the base defaults). */
export function defineLayer(kind: LayerKind): LayerKind {
  return { ...kind, defaults: { ...baseDefaults, ...kind.defaults } };
}
