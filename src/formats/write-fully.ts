import { closeSync, openSync, writeSync } from "node:fs";

/**
 * The most bytes one write() call hands the kernel. Linux (6.18 here) gives a buffered write page-cache
 * folios as large as the write, and on this project's VM writes of 2 MiB and more were an order of
 * magnitude slower than smaller ones: 103 MB to a new file took 243–340 ms in 2 MiB or 8 MiB writes and
 * 24–34 ms in 1 MiB or 256 KiB ones (`node --import tsx tools/bench/write-pieces.ts`, each write after
 * 3 s idle), presumably because 2 MiB folios come from free memory the VM's balloon driver has reported
 * back to the host (free page reporting), which the host must supply again page by page. The writers of
 * weights wrote one tensor per call (up to 9.4 MB in ResNet50), so a conversion's time followed that
 * machine state. Pieces of 1 MiB cost nothing measurable where it does not apply.
 */
export const WRITE_PIECE_BYTES = 2 ** 20;

/**
 * Writes `length` bytes of `bytes` from `offset` to `fd`, at `position` in the file (null: at its current
 * offset), in pieces of at most WRITE_PIECE_BYTES, until all are written.
 */
export function writeFully(
  fd: number,
  bytes: Uint8Array,
  position: number | null = null,
  offset = 0,
  length = bytes.length - offset,
): void {
  for (let done = 0; done < length;) {
    const n = Math.min(WRITE_PIECE_BYTES, length - done);
    const wrote = writeSync(fd, bytes, offset + done, n, position === null ? null : position + done);
    // A write that takes nothing would be asked again forever.
    if (wrote <= 0) throw new Error(`write() took no bytes of ${length - done} left to write`);
    done += wrote;
  }
}

/** Writes `bytes` to a new file (or over the old one) at `path`, in pieces as `writeFully` does. */
export function writeFileFully(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, "w");
  try {
    writeFully(fd, bytes);
  } finally {
    closeSync(fd);
  }
}
