/**
 * The CLI loads a command's modules when the command runs (src/cli/*.ts import them in their actions):
 * `kerasgraph --help` and usage errors load none of the readers, writers, layer catalog or executors,
 * and a `summary` of a .keras loads the readers but not the ONNX importer or exporter, onnxruntime,
 * TensorFlow.js, Graphviz or the HDF5 library. Each case runs the CLI in a fresh Node process with a
 * module hook that lists every module loaded.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { FIXTURES } from "./fixture-files.js";

const ROOT = join(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "kerasgraph-cli-startup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The modules (paths under the repository, package names under node_modules) a CLI run loads. */
function loadedBy(...args: string[]): string[] {
  const log = join(dir, `loaded-${args.join("-").replace(/[^\w-]/g, "_")}.txt`);
  const hooks = join(dir, "hooks.mjs");
  writeFileSync(
    hooks,
    `import { appendFileSync } from "node:fs";\n` +
      `export async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + "\\n"); return next(url, context); }\n`,
  );
  const register = join(dir, "register.mjs");
  writeFileSync(
    register,
    `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
  );
  const main = join(dir, "main.mts");
  writeFileSync(
    main,
    `import { main } from ${JSON.stringify(pathToFileURL(join(ROOT, "src/cli/main.ts")).href)};\n` +
      `process.exitCode = await main(process.argv.slice(2), { stdout: { write: () => true }, stderr: { write: () => true } });\n`,
  );
  try {
    execFileSync(process.execPath, ["--import", "tsx", "--import", register, main, ...args], {
      cwd: ROOT,
      stdio: "ignore",
    });
  } catch {
    // Usage errors exit 2: what was loaded is still in the log.
  }
  return readFileSync(log, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((url) => {
      const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
      return pkg ? pkg[1]! : url.replace(pathToFileURL(ROOT).href + "/", "");
    });
}

const HEAVY = [
  /^src\/formats\/open\.ts$/,
  /^src\/layers\/index\.ts$/,
  /^src\/formats\/onnx\/convert\.ts$/,
  /^src\/formats\/onnx\/import\//,
  /^src\/exec\/ort\//,
  /^src\/exec\/tfjs\/(?!backends\.ts$)/, // backends.ts: the names --backend takes, no TensorFlow.js
  /^src\/tools\/plot\/plot-model\.ts$/,
  /^h5wasm$/,
  /^onnxruntime-/,
  /^@tensorflow\//,
  /^@hpcc-js\//,
];

describe("the CLI's start", () => {
  it("--help and a usage error load none of the library", () => {
    for (const args of [["--help"], ["convert", "only-one-path"]]) {
      const loaded = loadedBy(...args);
      expect(loaded).toContain("src/cli/main.ts");
      expect(
        loaded.filter((m) => HEAVY.some((h) => h.test(m))),
        args.join(" "),
      ).toEqual([]);
    }
  });

  it("summary of a .keras loads the readers, not ONNX, executors, Graphviz or the HDF5 library", () => {
    const loaded = loadedBy("summary", join(FIXTURES, "keras3/seed/mnist_mlp/model.keras"));
    expect(loaded).toContain("src/formats/open.ts");
    const heavy = HEAVY.slice(2);
    expect(loaded.filter((m) => heavy.some((h) => h.test(m)))).toEqual([]);
  });
});
