import { randomBytes } from "node:crypto";
import { rmSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";

/** A fresh file name in `dir` that nobody else will pick: `.name.<random>.tmp`. */
export function tempPathIn(dir: string, name: string): string {
  return join(dir, `.${name}.${randomBytes(6).toString("hex")}.tmp`);
}

/** A scratch file in the system's temporary folder, for data a library can only read from a path. */
export function scratchPath(name: string): string {
  return tempPathIn(tmpdir(), `kerasgraph-${name}`);
}

export function removeQuietly(path: string): void {
  rmSync(path, { force: true });
}

/**
 * Writes `dest` all at once or not at all: `write` fills a temporary file in the destination's folder
 * (same file system, so the final rename is atomic), which replaces `dest` only when `write` succeeded.
 * On failure nothing is left behind, and an existing `dest` is untouched.
 */
export async function writeAtomically(dest: string, write: (tempPath: string) => void | Promise<void>): Promise<void> {
  const temp = tempPathIn(dirname(dest), basename(dest));
  try {
    await write(temp);
    renameSync(temp, dest);
  } catch (e) {
    removeQuietly(temp);
    throw e;
  }
}
