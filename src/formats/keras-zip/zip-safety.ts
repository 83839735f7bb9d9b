import { unzipSync } from "fflate";
import { FormatError, KerasGraphError } from "../../ir/errors.js";
import { checkLimit } from "../limits.js";

/** What the safety checks need of a zip member (from its central directory entry). */
export interface ZipMemberInfo {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  compressedSize: number;
  size: number;
  /** The directory's external attributes: a Unix mode in the high 16 bits (symlinks: 0120000). */
  externalAttrs?: number;
}

/**
 * Refuses a member no Keras archive has and an unzip tool would write outside its folder: a name with
 * `..` segments, an absolute or drive path, a NUL; and a symbolic link. kerasgraph never extracts
 * members to disk, but it refuses such archives whole rather than guess what their author meant.
 */
export function checkZipMember(m: ZipMemberInfo, file?: string): void {
  const segments = m.name.split(/[\\/]/);
  const escapes =
    m.name.startsWith("/") || m.name.startsWith("\\") || /^[A-Za-z]:/.test(m.name) || segments.includes("..");
  if (escapes || m.name.includes("\0")) {
    throw new FormatError(
      `holds a zip member whose name would leave the archive's folder (a path traversal, "zip slip"). ` +
        `Received: member name ${JSON.stringify(m.name)}`,
      { file },
    );
  }
  if (m.externalAttrs !== undefined && ((m.externalAttrs >>> 16) & 0o170000) === 0o120000) {
    throw new FormatError(
      `holds a zip member that is a symbolic link, which no Keras archive has. Received: member ${JSON.stringify(m.name)} (symlink)`,
      { file },
    );
  }
}

/** Checks a member before it is inflated into memory: its size (maxMemberBytes) and its compression ratio (maxZipRatio). */
export function checkInflate(m: ZipMemberInfo, file?: string): void {
  checkLimit("maxMemberBytes", m.size, `zip member '${m.name}' inflates to ${m.size} bytes, which`, file);
  if (m.method !== 0 && m.size > 1024 * 1024) {
    const ratio = Math.round(m.size / Math.max(m.compressedSize, 1));
    checkLimit(
      "maxZipRatio",
      ratio,
      `zip member '${m.name}' (${m.compressedSize} bytes inflating to ${m.size}) has a compression ratio that`,
      file,
    );
  }
}

/**
 * fflate's unzipSync over an archive in memory, with the checks first: the central directory is walked
 * within the bytes (a count or offset that points outside is a FormatError, not a billion-step loop),
 * every member name and type checked, and each member's declared size and ratio checked before fflate
 * allocates for it. Only members `want` accepts are inflated (all by default).
 */
export function unzipChecked(
  bytes: Uint8Array,
  file?: string,
  want: (name: string) => boolean = () => true,
): Record<string, Uint8Array> {
  for (const m of zipDirectory(bytes, file)) checkZipMember(m, file);
  try {
    return unzipSync(bytes, {
      filter: (f) => {
        if (!want(f.name)) return false;
        checkInflate({ name: f.name, method: f.compression, compressedSize: f.size, size: f.originalSize }, file);
        return true;
      },
    });
  } catch (e) {
    if (e instanceof KerasGraphError) throw e;
    throw new FormatError(`is a zip archive that cannot be read. Received: ${(e as Error).message}`, {
      file,
      cause: e,
    });
  }
}

/** The central directory entries of a zip in memory, every read bounds-checked. */
export function zipDirectory(bytes: Uint8Array, file?: string): ZipMemberInfo[] {
  const fail = (why: string): never => {
    throw new FormatError(`is a zip archive that cannot be read: ${why}.`, { file });
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= 0 && i >= bytes.length - 22 - 65535; i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) fail("no end-of-central-directory record");
  let count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  if (eocd >= 20 && view.getUint32(eocd - 20, true) === 0x07064b50) {
    const rec = Number(view.getBigUint64(eocd - 12, true));
    if (rec + 56 > bytes.length || view.getUint32(rec, true) !== 0x06064b50) fail("a damaged zip64 end record");
    count = Number(view.getBigUint64(rec + 32, true));
    at = Number(view.getBigUint64(rec + 48, true));
  }
  const entries: ZipMemberInfo[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50)
      fail(`central directory entry ${i} of ${count} is not where the directory says`);
    const nameLen = view.getUint16(at + 28, true);
    const extraLen = view.getUint16(at + 30, true);
    const commentLen = view.getUint16(at + 32, true);
    if (at + 46 + nameLen + extraLen > bytes.length) fail(`central directory entry ${i} runs past the end`);
    const utf8 = (view.getUint16(at + 8, true) & 0x800) !== 0;
    entries.push({
      name: new TextDecoder(utf8 ? "utf-8" : "latin1").decode(bytes.subarray(at + 46, at + 46 + nameLen)),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      size: view.getUint32(at + 24, true),
      externalAttrs: view.getUint32(at + 38, true),
    });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}
