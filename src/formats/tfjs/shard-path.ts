import { FormatError } from "../../ir/errors.js";

/**
 * A `weightsManifest` path as a file name relative to model.json's folder (`./` prefix dropped,
 * URL escapes decoded, as tfjs-core resolves it against the model's URL). A path that would leave the
 * folder (`..` segments, before or after decoding; an absolute, drive or URL path; a NUL) is a
 * FormatError: a model.json from a stranger must not make kerasgraph, or the viewer it serves, read
 * `../../.ssh/id_rsa` as a weight shard.
 */
export function shardRelativePath(path: string, file?: string): string {
  let clean: string;
  try {
    clean = decodeURIComponent(path.replace(/^\.\//, ""));
  } catch {
    throw new FormatError(
      `weightsManifest path ${JSON.stringify(path)} has a malformed %-escape. Received: ${JSON.stringify(path)}`,
      { file },
    );
  }
  const leaves = [path, clean].some(
    (p) =>
      p.startsWith("/") ||
      p.startsWith("\\") ||
      /^[A-Za-z][A-Za-z0-9+.-]*:/.test(p) || // C:\, file:, http:
      p.split(/[\\/]/).includes("..") ||
      p.includes("\0"),
  );
  if (leaves || clean === "") {
    throw new FormatError(
      `weightsManifest names a shard outside the model's folder; shard paths must be file names beside model.json. ` +
        `Received: ${JSON.stringify(path)}`,
      { file },
    );
  }
  return clean;
}
