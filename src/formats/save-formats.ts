import { extname } from "node:path";

/**
 * What `kerasgraph convert --to` writes: a .keras archive, a legacy .h5, Keras JSON (3 or tf.keras 2),
 * or Keras 3's weights only (`save_weights`: `.weights.h5`, or sharded, a `.weights.json` manifest).
 */
export type SaveFormat = "keras" | "h5" | "h5-keras2" | "json" | "json-keras2" | "weights";

export const SAVE_FORMATS: readonly SaveFormat[] = ["keras", "h5", "h5-keras2", "json", "json-keras2", "weights"];

/**
 * The format a destination's name asks for: `.weights.h5`/`.weights.json` (weights only), `.keras`,
 * `.h5`/`.hdf5`/`.keras.h5`, `.json`; null if none.
 */
export function formatForPath(dest: string): SaveFormat | null {
  if (/\.weights\.(h5|json)$/i.test(dest)) return "weights";
  const ext = extname(dest).toLowerCase();
  if (ext === ".keras") return "keras";
  if (ext === ".h5" || ext === ".hdf5") return "h5";
  if (ext === ".json") return "json";
  return null;
}
