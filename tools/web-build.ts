import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");
export const WEB_ROOT = join(ROOT, "dist-web");
const LOCK = join(ROOT, "dist-web.lock");
/** A lock older than this was left by a build that died; it is taken over. */
const STALE_LOCK_MS = 120_000;

/**
 * Builds the viewer's bundle (dist-web/, what `kerasgraph view` serves) when it is missing or older
 * than any file under web/ or src/, so that the browser tests and the benchmark always run the real,
 * current bundle (`npm test` builds it first; this covers running one test file alone). Test files
 * run in parallel processes, so the build holds a lock directory and the others wait for it.
 */
export function ensureWebBuild(): void {
  if (fresh()) return;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true });
      else sleep(250);
    }
  }
  try {
    if (fresh()) return; // another process built it while this one waited
    execFileSync(process.execPath, [join(ROOT, "node_modules/vite/bin/vite.js"), "build", "-c", "web/vite.config.ts"], {
      cwd: ROOT,
      stdio: "pipe",
    });
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

function fresh(): boolean {
  const index = join(WEB_ROOT, "index.html");
  return existsSync(index) && newestMtime([join(ROOT, "web"), join(ROOT, "src")]) < statSync(index).mtimeMs;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function newestMtime(dirs: string[]): number {
  let newest = 0;
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  dirs.forEach(visit);
  return newest;
}
