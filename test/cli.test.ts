import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readKerasJson } from "../src/formats/keras-json/read.js";
import { FIXTURES } from "./fixture-files.js";
import { runCli as run } from "./support/cli.js";

const ROOT = join(import.meta.dirname, "..");
const MLP = join(FIXTURES, "keras3/seed/mnist_mlp/model.json"); // Dense only, 55,050 params
const RESNET = join(FIXTURES, "keras3/seed/toy_resnet/model.json");
const H5 = join(FIXTURES, "real/fastmachinelearning+example-models/keras_history/keras_3layer.h5");
const ZIP = join(FIXTURES, "real/2mdtln+FlowNet-ANN/25-06/model.keras");
const WEIGHTS_ONLY = join(FIXTURES, "real/fastmachinelearning+example-models/keras/KERAS_3layer_weights.h5");

describe("kerasgraph summary", () => {
  it("prints Keras's table", async () => {
    const r = await run("summary", MLP);
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toContain("Total params: 55,050");
  });

  it("--json prints the summary facts", async () => {
    const r = await run("summary", MLP, "--json");
    expect(r.code).toBe(0);
    const json = JSON.parse(r.out) as Record<string, unknown>;
    expect(json).toMatchObject({ total_params: 55050, trainable_params: 55050, non_trainable_params: 0 });
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining([
        "name",
        "total_params",
        "trainable_params",
        "non_trainable_params",
        "inputs",
        "outputs",
        "layers",
      ]),
    );
    expect((json.layers as unknown[]).length).toBe(4);
  });

  it("summarizes the demo model (npm start)", async () => {
    const r = await run("summary", RESNET, "--line-length", "110");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Total params: 223,242");
  });

  it.each([["0"], ["-3"], ["wide"]])("refuses --line-length %s as bad usage", async (n) => {
    const r = await run("summary", MLP, "--line-length", n);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/line-length/);
  });
});

describe("kerasgraph info", () => {
  it.each([
    [MLP, "keras-json", "unknown"], // Keras 3 to_json() records no version
    [H5, "h5", "2.3.1"],
    [ZIP, "keras-zip", "3.9.2"],
  ])("%s", async (file, format, version) => {
    const r = await run("info", file);
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toMatch(new RegExp(`format: +${format}\n`));
    expect(r.out).toMatch(new RegExp(`keras_version: +${version.replace(/\./g, "\\.")}\n`));
    expect(r.out).toMatch(/inputs:\n {2}\S+: \(None, \d+\) float32\noutputs:\n/);
  });
});

describe("kerasgraph convert", () => {
  const dir = mkdtempSync(join(tmpdir(), "kerasgraph-cli-"));

  it.each([["json"], ["json-keras2"]])("--to %s writes JSON that reads back to the same model", async (to) => {
    const dest = join(dir, `mlp-${to}.json`);
    const r = await run("convert", MLP, dest, "--to", to);
    expect(r).toMatchObject({ code: 0, err: "" });
    const back = readKerasJson(readFileSync(dest, "utf8"), { file: dest });
    expect(back.paramCounts().total).toBe(55050);
    const original = readKerasJson(readFileSync(MLP, "utf8"));
    expect(back.layers.map((l) => [l.className, l.name])).toEqual(original.layers.map((l) => [l.className, l.name]));
  });

  it("refuses an unknown --to as bad usage", async () => {
    expect((await run("convert", MLP, join(dir, "x.json"), "--to", "pickle")).code).toBe(2);
  });
});

describe("exit codes and errors", () => {
  it("a missing file is a user error: exit 1, one line", async () => {
    const r = await run("info", "no/such/model.h5");
    expect(r.code).toBe(1);
    expect(r.err).toBe("kerasgraph: no/such/model.h5: no such file or directory\n");
  });

  it("a folder that is no model is a user error naming what it holds", async () => {
    const r = await run("info", join(FIXTURES, "real"));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      new RegExp(
        `^kerasgraph: ${join(FIXTURES, "real")}: is a folder without config\\.json \\(a Keras model folder, from ` +
          `model\\.save\\(path, zipped=False\\)\\) or model\\.json \\(a TF\\.js layers model\\)\\. Received: \\S`,
      ),
    );
  });

  it("a Keras model folder and a TF.js folder are models", async () => {
    const folder = await run("info", join(FIXTURES, "keras3-written/unzipped/seed+mnist_mlp/model"));
    expect(folder.code).toBe(0);
    expect(folder.out).toMatch(/^format: +keras-dir\nkeras_version: +3\.16\.0\n/m);
    const tfjs = await run("info", join(FIXTURES, "real/4tsu+fashion_mnist_check/model"));
    expect(tfjs.out).toMatch(/^format: +tfjs$/m);
  });

  it("a weights-only h5 is a user error naming the file, without a stack trace", async () => {
    const r = await run("summary", WEIGHTS_ONLY);
    expect(r.code).toBe(1);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toContain(`${WEIGHTS_ONLY}: is a weights-only HDF5 file`);
    expect(r.out).toBe("");
  });

  it("--debug adds the stack trace", async () => {
    const r = await run("--debug", "summary", WEIGHTS_ONLY);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/\n\s+at /);
  });

  it.each([[[]], [["frobnicate"]], [["summary"]], [["summary", MLP, "--bogus"]], [["convert", MLP]]])(
    "bad usage %j exits 2",
    async (argv) => {
      const r = await run(...argv);
      expect(r.code).toBe(2);
      expect(r.err).not.toBe("");
    },
  );

  it("--help exits 0", async () => {
    const r = await run("--help");
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/summary.*\n.*info.*\n.*convert/s);
  });
});

describe("bin/kerasgraph.js", () => {
  const exec = promisify(execFile);
  // The bin imports ../dist/cli/main.js, which `npm ci` builds (prepare). Build the CLI and what it imports
  // (not all of src/) into a scratch copy of that layout inside the repo, so node_modules resolves and the
  // real dist/ is left alone. A few seconds.
  const scratch = join(ROOT, ".tmp", `bin-test-${process.pid}`);
  const bin = join(scratch, "bin", "kerasgraph.js");
  beforeAll(async () => {
    mkdirSync(join(scratch, "bin"), { recursive: true });
    cpSync(join(ROOT, "bin", "kerasgraph.js"), bin);
    const tsconfig = {
      extends: join(ROOT, "tsconfig.build.json"),
      compilerOptions: {
        rootDir: join(ROOT, "src"),
        outDir: join(scratch, "dist"),
        declaration: false,
        sourceMap: false,
      },
      include: [],
      files: [join(ROOT, "src", "cli", "main.ts")],
    };
    writeFileSync(join(scratch, "tsconfig.json"), JSON.stringify(tsconfig));
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    await exec(process.execPath, [tsc, "-p", join(scratch, "tsconfig.json")], { cwd: ROOT }).catch((e) => {
      throw new Error(`building the CLI failed:\n${e.stdout}${e.stderr}`);
    });
  }, 60_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("runs a command and sets the exit code", async () => {
    const ok = await exec(process.execPath, [bin, "info", MLP], { cwd: ROOT });
    expect(ok.stdout).toMatch(/format: +keras-json/);
    const bad = await exec(process.execPath, [bin, "info", "missing.json"], { cwd: ROOT }).catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("kerasgraph: missing.json: no such file or directory\n");
  });
});
