import { randomBytes } from "node:crypto";
import { readdirSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";

/**
 * A fresh file name in `dir` that nobody else will pick: `.name.<pid>.<random>.tmp`. The process id
 * lets a later write remove a temporary file whose writer was killed (writeAtomically).
 */
export function tempPathIn(dir: string, name: string): string {
  const temp = join(dir, `.${name}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  active.add(temp);
  return temp;
}

/** A scratch file in the system's temporary folder, for data a library can only read from a path. */
export function scratchPath(name: string): string {
  return tempPathIn(tmpdir(), `kerasgraph-${name}`);
}

export function removeQuietly(path: string): void {
  rmSync(path, { force: true });
  active.delete(path);
}

/**
 * Temporary files this process has not renamed or removed yet. They are removed when the process exits,
 * also through `process.exit` from a signal handler (the command line turns Ctrl-C and SIGTERM into
 * exits): an interrupted write leaves the destination as it was and no partial file beside it.
 */
const active = new Set<string>();

/** Removes every temporary file of this process's unfinished writes (what the exit handler does). */
export function removeTemporaryFiles(): void {
  for (const temp of active) removeQuietly(temp);
}

if (typeof process !== "undefined" && typeof process.on === "function") process.on("exit", removeTemporaryFiles);

/**
 * Writes `dest` all at once or not at all: `write` fills a temporary file in the destination's folder
 * (same file system, so the final rename is atomic), which replaces `dest` only when `write` succeeded.
 * On failure nothing is left behind, and an existing `dest` is untouched. A temporary file left for
 * `dest` by a writer that was killed outright (SIGKILL, power loss) is removed by the next write.
 */
export async function writeAtomically(dest: string, write: (tempPath: string) => void | Promise<void>): Promise<void> {
  const temp = tempPathIn(dirname(dest), basename(dest));
  try {
    await write(temp);
    renameSync(temp, dest);
    active.delete(temp);
  } catch (e) {
    removeQuietly(temp);
    throw e;
  }
  removeStaleTemporaries(dest);
}

/**
 * Writes several files all or none (weight shards and the manifest that names them): each is filled in
 * a temporary file beside its destination, and only when every one is complete are they renamed into
 * place, in the order given (put the file that names the others last). On failure every temporary file
 * is removed and no destination has changed.
 */
export async function writeFilesAtomically(
  files: readonly { dest: string; write: (tempPath: string) => void | Promise<void> }[],
): Promise<void> {
  const temps: string[] = [];
  try {
    for (const { dest, write } of files) {
      temps.push(tempPathIn(dirname(dest), basename(dest)));
      await write(temps.at(-1)!);
    }
    files.forEach(({ dest }, i) => {
      renameSync(temps[i]!, dest);
      active.delete(temps[i]!);
    });
  } catch (e) {
    for (const temp of temps) removeQuietly(temp);
    throw e;
  }
  for (const { dest } of files) removeStaleTemporaries(dest);
}

/** `.dest.<pid>.<hex>.tmp` files beside `dest` whose writing process no longer exists. */
function removeStaleTemporaries(dest: string): void {
  const prefix = `.${basename(dest)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(dest)).filter((n) => n.startsWith(prefix) && n.endsWith(".tmp"));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^\.(?:.*)\.(\d+)\.[0-9a-f]{12}\.tmp$/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !processExists(pid))
      rmSync(join(dirname(dest), name), { force: true });
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM"; // alive, someone else's
  }
}
