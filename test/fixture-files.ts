import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

export const FIXTURES = join(import.meta.dirname, "..", "fixtures");

/** Every file under a fixtures folder (paths relative to fixtures/), skipping the `.ref/` reference folders. */
export function fixtureFiles(under: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (!name.endsWith(".ref")) walk(path);
      } else out.push(relative(FIXTURES, path));
    }
  };
  walk(join(FIXTURES, under));
  return out;
}
