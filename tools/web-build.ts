import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "../..");
export const WEB_ROOT = join(ROOT, "dist-web");

/**
 * Builds the viewer's bundle (dist-web/, what `kerasgraph view` serves) when it is missing or older
 * than any file under web/ or src/, so that the browser tests always run the real, current bundle
 * (`npm test` builds it first; this covers running a test file alone).
 */
export function ensureWebBuild(): void {
  const index = join(WEB_ROOT, "index.html");
  if (existsSync(index) && newestMtime([join(ROOT, "web"), join(ROOT, "src")]) < statSync(index).mtimeMs) return;
  execFileSync(process.execPath, [join(ROOT, "node_modules/vite/bin/vite.js"), "build", "-c", "web/vite.config.ts"], {
    cwd: ROOT,
    stdio: "pipe",
  });
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
