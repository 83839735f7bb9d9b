import { KerasGraphError } from "../ir/errors.js";
import type { CliIO } from "./io.js";

/** Node's file-system error codes that are the user's to fix (a wrong path), with what to print. */
const FILE_ERRORS: Record<string, string> = {
  ENOENT: "no such file or directory",
  EISDIR: "is a directory, expected a model file (for a TF.js model, its model.json)",
  ENOTDIR: "a part of the path is not a directory",
  EACCES: "permission denied",
};

/**
 * Prints an error from a command on one line and returns the exit code, 1: the user's errors
 * (KerasGraphError, a missing file) as their message, anything else as an internal error. The stack
 * trace is printed only with --debug.
 */
export function reportError(err: unknown, io: CliIO, debug: boolean): number {
  const e = err as (Error & NodeJS.ErrnoException) | null;
  let line: string;
  if (err instanceof KerasGraphError) line = err.message;
  else if (e?.code && FILE_ERRORS[e.code] && e.path) line = `${e.path}: ${FILE_ERRORS[e.code]}`;
  else line = `internal error: ${e?.message ?? String(err)}${debug ? "" : " (rerun with --debug for the stack trace)"}`;
  io.stderr.write(`kerasgraph: ${line.replace(/\s*\n\s*/g, " ")}\n`);
  if (debug && e?.stack) io.stderr.write(`${e.stack}\n`);
  return 1;
}
