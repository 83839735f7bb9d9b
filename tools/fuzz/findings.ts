import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { FuzzCase, FuzzFormat } from "./corpus.js";
import type { JobResult } from "./pool.js";

/** A fuzz finding as saved beside its reproducer (`finding.json`). */
export interface Finding {
  format: FuzzFormat;
  seed: number;
  iteration: number;
  /** "error" (not a KerasGraphError, or a Violation), "hang", "memory" or "crash". */
  kind: string;
  reader: string;
  message: string;
  stack?: string;
  main: string;
  /** Groups findings that are one bug: kind, reader, error name and message without numbers, first frame. */
  signature?: string;
  /** For a reproducer kept as a regression test: what was wrong and how it was fixed. */
  fixed?: string;
}

export function describeFinding(
  format: FuzzFormat,
  seed: number,
  iteration: number,
  c: FuzzCase,
  result: Exclude<JobResult, { status: "ok" }>,
): Finding {
  const base = { format, seed, iteration, main: c.main, kind: result.status };
  switch (result.status) {
    case "error": {
      const { name, message, stack, reader } = result.error;
      const frame = /\((?:.*?)(src\/[^)]+?):\d+:\d+\)/.exec(stack)?.[1] ?? "";
      const gist = `${name}: ${message}`
        .replace(/\d+/g, "N")
        .replace(/'[^']*'/g, "'…'")
        .slice(0, 120);
      return { ...base, reader, message: `${name}: ${message}`, stack, signature: `error ${reader} ${gist} @${frame}` };
    }
    case "hang":
      return {
        ...base,
        reader: result.reader,
        message: `no answer after ${result.ms} ms`,
        signature: `hang ${result.reader}`,
      };
    case "memory":
      return {
        ...base,
        reader: result.reader,
        message: `resident memory reached ${result.mb} MiB`,
        signature: `memory ${result.reader}`,
      };
    case "crash":
      return {
        ...base,
        reader: result.reader,
        message: result.detail,
        signature: `crash ${result.reader} ${result.detail.slice(0, 60)}`,
      };
  }
}

/**
 * Saves a finding's case as a reproducer folder `<out>/<format>-<hash>/`: its files, and `finding.json`.
 * The regression test (test/fuzz/findings.test.ts) runs every such folder through the readers again.
 */
export function saveReproducer(out: string, finding: Finding, c: FuzzCase): string {
  const hash = createHash("sha256");
  for (const name of Object.keys(c.files).sort()) hash.update(name).update(c.files[name]!);
  const dir = join(out, `${finding.format}-${hash.digest("hex").slice(0, 12)}`);
  mkdirSync(join(dir, "files"), { recursive: true });
  for (const [name, data] of Object.entries(c.files)) writeFileSync(join(dir, "files", name), data);
  writeFileSync(join(dir, "finding.json"), `${JSON.stringify(finding, null, 2)}\n`);
  return dir;
}

/** The reproducer folders under `out`, as cases. */
export function loadReproducers(out: string): { dir: string; finding: Finding; case: FuzzCase }[] {
  if (!existsSync(out)) return [];
  return readdirSync(out, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(out, d.name, "finding.json")))
    .map((d) => {
      const dir = join(out, d.name);
      const finding = JSON.parse(readFileSync(join(dir, "finding.json"), "utf8")) as Finding;
      const files: Record<string, Uint8Array> = {};
      for (const name of readdirSync(join(dir, "files")))
        files[name] = new Uint8Array(readFileSync(join(dir, "files", name)));
      return { dir, finding, case: { format: finding.format, main: finding.main, files } };
    })
    .sort((a, b) => a.dir.localeCompare(b.dir));
}
