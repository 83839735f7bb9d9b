import fs from "node:fs";
import fsp from "node:fs/promises";
import { syncBuiltinESMExports } from "node:module";
import { resolve } from "node:path";

/**
 * Records every path the readers open or read while a case runs (fs.openSync, readFileSync,
 * createReadStream, fs/promises readFile and open), so the worker can check that a hostile file never
 * made a reader touch a file outside its folder (a TF.js shard path `../../.ssh/id_rsa`, ONNX external
 * data). Installed once per worker process; ESM imports of node:fs see the wrappers through
 * syncBuiltinESMExports.
 */
export function watchFileOpens(): { take(): string[] } {
  let opened: string[] = [];
  const record = (p: unknown) => {
    if (typeof p === "string" || p instanceof URL) opened.push(resolve(p instanceof URL ? p.pathname : p));
  };
  const wrap = <T extends object, K extends keyof T>(target: T, key: K) => {
    const original = target[key] as unknown as (...args: unknown[]) => unknown;
    (target as Record<K, unknown>)[key] = function (this: unknown, ...args: unknown[]) {
      record(args[0]);
      return original.apply(this, args);
    };
  };
  for (const key of ["openSync", "readFileSync", "createReadStream", "open", "readFile"] as const) wrap(fs, key);
  for (const key of ["readFile", "open"] as const) wrap(fsp, key);
  syncBuiltinESMExports();
  return {
    take() {
      const out = opened;
      opened = [];
      return out;
    },
  };
}
