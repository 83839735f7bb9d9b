import { closeSync, fstatSync, openSync, statSync } from "node:fs";
import { FormatError } from "../ir/errors.js";

/**
 * Files that lazily loaded weights are read from. A writer loads hundreds of weights from one file in
 * one synchronous run; opening, stat-ing and closing the file for each cost ~8 ms of ResNet50's ~160 ms
 * `.keras → .onnx` (640 loads). Here one read-only descriptor per file serves every read until the
 * thread next reaches its event loop, when it is closed.
 */

/** What identifies a file's content cheaply: a lazy value refuses to load from a file that changed. */
export interface FileStamp {
  ino: number;
  size: number;
  mtimeMs: number;
}

export function fileStamp(path: string): FileStamp {
  const { ino, size, mtimeMs } = statSync(path);
  return { ino, size, mtimeMs };
}

function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

function changed(path: string): FormatError {
  return new FormatError(
    "changed or disappeared after the model was read, so its weights can no longer be loaded from it. Read the model again, " +
      "or read it with { lazy: false } to hold every weight in memory.",
    { file: path },
  );
}

/** Throws the "changed or disappeared" FormatError unless `path` is still the file `stamp` identifies. */
export function assertUnchanged(path: string, stamp: FileStamp): void {
  let now: FileStamp | null = null;
  try {
    now = fileStamp(path);
  } catch {
    now = null;
  }
  if (!now || !sameStamp(now, stamp)) throw changed(path);
}

/** Descriptors held at once, at most: the least recently opened goes first. */
const MAX_HELD = 32;
const held = new Map<string, { fd: number; stamp: FileStamp }>();
let closing: ReturnType<typeof setImmediate> | null = null;

/**
 * A read-only descriptor of `path`, held open until this thread next reaches its event loop (do not
 * close it). With `stamp`, the file must still be the one the stamp identifies, else the "changed or
 * disappeared" FormatError: that is checked when the descriptor opens, so a file replaced or rewritten
 * is noticed by the first read after the event loop has turned. Without, Node's errors pass through.
 */
export function heldFile(path: string, stamp?: FileStamp): number {
  let entry = held.get(path);
  if (entry && stamp && !sameStamp(entry.stamp, stamp)) {
    release(path);
    entry = undefined;
  }
  if (entry) return entry.fd;
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    if (stamp) throw changed(path);
    throw e;
  }
  const { ino, size, mtimeMs } = fstatSync(fd);
  if (stamp && !sameStamp({ ino, size, mtimeMs }, stamp)) {
    closeSync(fd);
    throw changed(path);
  }
  if (held.size >= MAX_HELD) release(held.keys().next().value!);
  held.set(path, { fd, stamp: { ino, size, mtimeMs } });
  if (!closing) {
    closing = setImmediate(releaseAll);
    closing.unref();
  }
  return fd;
}

function release(path: string): void {
  const entry = held.get(path);
  if (!entry) return;
  held.delete(path);
  closeSync(entry.fd);
}

/** Closes every held descriptor now (they also close by themselves when the event loop turns). */
export function releaseAll(): void {
  closing = null;
  for (const path of [...held.keys()]) release(path);
}
