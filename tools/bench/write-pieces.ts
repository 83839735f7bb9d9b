/**
 * Why the writers hand the kernel at most 1 MiB per write() (`src/formats/write-fully.ts`): 103 MB
 * written to a new file in pieces of 256 KiB, 1 MiB, 2 MiB and 8 MiB, the sizes taking turns, each write
 * after the file before it was removed and the machine left idle for `--idle` ms (default 3000), the
 * state a fresh conversion meets when memory freed before it has gone back to a VM's host. On this
 * project's VM (Linux 6.18, virtio-balloon free page reporting), 2 MiB and larger writes took 250–340 ms
 * and 1 MiB ones 25–40 ms. Prints the median and range of each piece size.
 * Run: node --import tsx tools/bench/write-pieces.ts [--rounds 4] [--idle 3000]
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BYTES = 103_000_000;
const PIECES = [256 * 1024, 2 ** 20, 2 * 2 ** 20, 8 * 2 ** 20];

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

/** Milliseconds to write `source` to a new file at `path` in pieces of `piece` bytes. */
function writeInPieces(source: Uint8Array, path: string, piece: number): number {
  const t0 = performance.now();
  const fd = openSync(path, "w");
  try {
    for (let at = 0; at < source.length; ) at += writeSync(fd, source, at, Math.min(piece, source.length - at));
  } finally {
    closeSync(fd);
  }
  return performance.now() - t0;
}

const rounds = arg("--rounds", 4);
const idleMs = arg("--idle", 3000);
const dir = mkdtempSync(join(tmpdir(), "kerasgraph-write-pieces-"));
const source = new Uint8Array(BYTES).fill(1);
const times = new Map<number, number[]>(PIECES.map((p) => [p, []]));
try {
  for (let r = 0; r < rounds; r++) {
    for (const piece of PIECES) {
      rmSync(join(dir, "out.bin"), { force: true });
      await new Promise((resolve) => setTimeout(resolve, idleMs));
      times.get(piece)!.push(writeInPieces(source, join(dir, "out.bin"), piece));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
for (const [piece, ms] of times) {
  const sorted = [...ms].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  console.log(
    `${(piece / 1024).toString().padStart(5)} KiB pieces: median ${median.toFixed(0)} ms ` +
      `(${sorted[0]!.toFixed(0)}–${sorted.at(-1)!.toFixed(0)}), ${(BYTES / 1e6 / (median / 1000)).toFixed(0)} MB/s`,
  );
}
