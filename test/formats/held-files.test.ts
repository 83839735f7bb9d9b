import {
  closeSync,
  mkdtempSync,
  openSync,
  readlinkSync,
  readSync,
  realpathSync,
  renameSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fileStamp, heldFile, releaseAll } from "../../src/formats/held-files.js";

const dir = realpathSync(mkdtempSync(join(tmpdir(), "kerasgraph-held-")));

function readAt(fd: number, at: number, n: number): string {
  const b = Buffer.alloc(n);
  return b.subarray(0, readSync(fd, b, 0, n, at)).toString();
}

/** Whether `fd` is still open on `path` (Linux: the number may have been reused for another file since). */
function isOpenOn(fd: number, path: string): boolean {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`) === path;
  } catch {
    return false;
  }
}

afterEach(() => releaseAll());

describe("held files (one descriptor per file while a writer loads weights)", () => {
  it("serve every read of one synchronous run from one descriptor, closed when the event loop turns", async () => {
    const path = join(dir, "a.bin");
    writeFileSync(path, "0123456789");
    const stamp = fileStamp(path);
    const fd = heldFile(path, stamp);
    expect(heldFile(path, stamp)).toBe(fd);
    expect(heldFile(path)).toBe(fd);
    expect(readAt(fd, 3, 4)).toBe("3456");
    await new Promise((resolve) => setImmediate(resolve));
    expect(isOpenOn(fd, path)).toBe(false);
  });

  it("refuse a file replaced or rewritten since it was stamped, from the next turn of the event loop", async () => {
    const path = join(dir, "b.bin");
    writeFileSync(path, "first");
    const stamp = fileStamp(path);
    heldFile(path, stamp);
    await new Promise((resolve) => setImmediate(resolve));
    const other = join(dir, "b.tmp");
    writeFileSync(other, "second version");
    renameSync(other, path);
    expect(() => heldFile(path, stamp)).toThrow(/b\.bin: changed or disappeared after the model was read/);
    // A descriptor held for the new file does not serve the old stamp either.
    const fresh = fileStamp(path);
    const fd = heldFile(path, fresh);
    expect(readAt(fd, 0, 6)).toBe("second");
    expect(() => heldFile(path, stamp)).toThrow(/changed or disappeared/);
    expect(isOpenOn(fd, path)).toBe(false);
  });

  it("refuse a file that disappeared, and pass Node's own error through without a stamp", () => {
    const path = join(dir, "missing.bin");
    expect(() => heldFile(path, { ino: 1, size: 1, mtimeMs: 1 })).toThrow(/missing\.bin: changed or disappeared/);
    expect(() => heldFile(path)).toThrow(/ENOENT/);
  });

  it("hold at most 32 files, closing the first opened first", () => {
    const paths = Array.from({ length: 33 }, (_, i) => join(dir, `many-${i}.bin`));
    const fds = paths.map((path) => {
      closeSync(openSync(path, "w"));
      return heldFile(path);
    });
    const open = () => fds.map((fd, i) => isOpenOn(fd, paths[i]!));
    expect(open()).toEqual(paths.map((_, i) => i > 0));
    releaseAll();
    expect(open().some(Boolean)).toBe(false);
  });
});
