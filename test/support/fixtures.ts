import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const FIXTURES = join(import.meta.dirname, "../../fixtures");
export const KERAS3 = join(FIXTURES, "keras3");

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}

/** Case folders (relative to fixtures/keras3) of the given sets that hold a model.json. */
export function keras3Cases(sets: string[]): string[] {
  return sets.flatMap((set) => {
    const dir = join(KERAS3, set);
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .sort()
      .filter((c) => existsSync(join(dir, c, "model.json")))
      .map((c) => `${set}/${c}`);
  });
}

/** Keras's recorded total_params for a case (case.json, or meta.json for apps_config). */
export function recordedTotalParams(dir: string): number {
  for (const f of ["case.json", "meta.json"]) {
    const p = join(dir, f);
    if (existsSync(p)) {
      const v = readJson<{ total_params?: number }>(p).total_params;
      if (typeof v === "number") return v;
    }
  }
  throw new Error(`no total_params recorded in ${dir}`);
}

/**
 * Keras's legacy `model.h5` of a keras3 case: its path, or why there is none. Whether Keras wrote one is
 * case.json's `files.legacy_h5`; where it did not, `save_errors.legacy_h5` holds what Keras's own
 * `model.save("model.h5")` raised. A file Keras wrote but the repository does not keep is named as such.
 */
export function legacyH5(caseDir: string): { path: string } | { missing: string } {
  const info = readJson<{ files?: Record<string, string>; save_errors?: Record<string, string> }>(
    join(caseDir, "case.json"),
  );
  const written = info.files?.legacy_h5;
  if (written === undefined) {
    const error = info.save_errors?.legacy_h5;
    return {
      missing: error
        ? `Keras wrote no model.h5: its own legacy save failed (${error})`
        : "Keras wrote no model.h5 for this case",
    };
  }
  const path = join(caseDir, written);
  return existsSync(path)
    ? { path }
    : { missing: `Keras wrote ${written}, but the repository does not keep it (fixtures/SOURCES.md)` };
}
