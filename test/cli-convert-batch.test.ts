/**
 * `kerasgraph convert A B C --out-dir DIR --to FORMAT`: every fixture converted on worker threads with
 * its weights bit for bit, one broken input reported in the summary without stopping the others, and
 * exit code 1 because one failed.
 */
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { batchDestinations } from "../src/cli/convert-batch.js";
import { openModel } from "../src/formats/open.js";
import { FIXTURES } from "./fixture-files.js";
import { runCli as run, weightBytes } from "./support/cli.js";

const SOURCES = [
  "keras3/seed/toy_resnet/model.keras",
  "keras3/seed/mnist_mlp/model.keras",
  "keras3/zoo/conv_family/model.keras",
  "keras3/seed/autoencoder/model.keras",
  "keras3/seed/mixed_rnn_in_functional/model.h5",
].map((p) => join(FIXTURES, p));

describe("kerasgraph convert --out-dir", () => {
  it("converts every fixture and reports the broken one without stopping the rest", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kerasgraph-batch-"));
    const broken = join(dir, "broken.keras");
    writeFileSync(broken, "PK\u0003\u0004 this is not a zip archive");
    const out = join(dir, "out");
    const r = await run("convert", SOURCES[0]!, broken, ...SOURCES.slice(1), "--out-dir", out, "--to", "keras");
    expect(r.code, r.err).toBe(1);
    expect(r.err).toMatch(/1 of 6 files failed to convert/);
    const lines = r.out.split("\n");
    expect(lines.filter((l) => l.startsWith("ok ")).length).toBe(5);
    const failed = lines.filter((l) => l.startsWith("FAILED"));
    expect(failed.length).toBe(1);
    expect(failed[0]).toContain("broken.keras");
    expect(r.out).toMatch(/5 of 6 converted to keras/);
    expect(readdirSync(out).sort()).toEqual([
      "autoencoder.keras",
      "conv_family.keras",
      "mixed_rnn_in_functional.keras",
      "mnist_mlp.keras",
      "toy_resnet.keras",
    ]);
    const dests = batchDestinations(SOURCES, out, "keras");
    for (const [i, src] of SOURCES.entries()) {
      const want = weightBytes((await openModel(src)).graph);
      const got = weightBytes((await openModel(dests[i]!)).graph);
      expect(want.size, src).toBeGreaterThan(0);
      expect([...got.keys()], src).toEqual([...want.keys()]);
      for (const [name, bytes] of want) expect(got.get(name)?.equals(bytes), `${src} ${name}`).toBe(true);
    }
  }, 120_000);

  it("converts to ONNX with exit code 0 when every file succeeds", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kerasgraph-batch-onnx-"));
    const r = await run("convert", ...SOURCES.slice(0, 2), "--out-dir", dir, "--to", "onnx");
    expect(r.code, r.err + r.out).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(["mnist_mlp.onnx", "toy_resnet.onnx"]);
  }, 120_000);

  it("names colliding outputs apart and asks for --to", async () => {
    expect(batchDestinations(["a/model.keras", "b/a.h5", "c/a.keras"], "o", "onnx")).toEqual([
      join("o", "a.onnx"),
      join("o", "a-2.onnx"),
      join("o", "a-3.onnx"),
    ]);
    expect((await run("convert", SOURCES[0]!, "--out-dir", "x")).code).toBe(2);
    expect((await run("convert", SOURCES[0]!, SOURCES[1]!, SOURCES[2]!)).code).toBe(2);
  });
});
