/**
 * `kerasgraph convert` between every format it writes, chosen by --to or by DEST's extension: the
 * model that comes back has the same layers and bit-identical weights as the Keras-written source.
 */
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openModel } from "../src/formats/open.js";
import { FIXTURES } from "./fixture-files.js";
import { runCli as run, weightBytes } from "./support/cli.js";

const RESNET = join(FIXTURES, "keras3/seed/toy_resnet/model.keras");
const ARCH = join(FIXTURES, "real/fastmachinelearning+example-models/keras/KERAS_3layer.json");
const ARCH_WEIGHTS = join(FIXTURES, "real/fastmachinelearning+example-models/keras/KERAS_3layer_weights.h5");

describe("kerasgraph convert between formats", () => {
  const dir = mkdtempSync(join(tmpdir(), "kerasgraph-convert-"));

  it(".keras → .h5 → .keras → TF.js folder → .keras keeps the layers and every weight bit for bit", async () => {
    const source = (await openModel(RESNET)).graph;
    const want = weightBytes(source);
    expect(want.size).toBe(18);
    const steps: [string, string, string[]][] = [
      [RESNET, join(dir, "a.h5"), []],
      [join(dir, "a.h5"), join(dir, "b.keras"), []],
      [join(dir, "b.keras"), join(dir, "tfjs"), ["--to", "tfjs", "--shard-size", "100000"]],
      [join(dir, "tfjs", "model.json"), join(dir, "c.keras"), []],
    ];
    for (const [src, dest, extra] of steps) {
      const r = await run("convert", src, dest, ...extra);
      expect(r, `${src} → ${dest}`).toMatchObject({ code: 0 });
      if (dest.endsWith("tfjs")) {
        expect(readdirSync(dest).filter((f) => f.endsWith(".bin")).length).toBeGreaterThan(1);
        continue;
      }
      const back = (await openModel(dest)).graph;
      expect(back.layers.map((l) => [l.className, l.name])).toEqual(source.layers.map((l) => [l.className, l.name]));
      expect(weightBytes(back)).toEqual(want);
    }
  });

  it("writes ONNX by extension", async () => {
    const dest = join(dir, "resnet.onnx");
    const r = await run("convert", RESNET, dest, "--opset", "18");
    expect(r.code).toBe(0);
    expect(r.out).toContain("ONNX opset 18");
    expect(existsSync(dest)).toBe(true);
  });

  it("pairs an architecture .json with its weights file (--weights)", async () => {
    const dest = join(dir, "arch.keras");
    expect((await run("convert", ARCH, dest, "--weights", ARCH_WEIGHTS)).code).toBe(0);
    const back = (await openModel(dest)).graph;
    expect(back.paramCounts().total).toBe(4389);
    const withWeights = (await openModel(ARCH, { weightsFile: ARCH_WEIGHTS })).graph;
    expect(weightBytes(back)).toEqual(weightBytes(withWeights));
  });

  it("a destination whose format cannot be told is a user error, and nothing is written", async () => {
    const dest = join(dir, "model.weird");
    const r = await run("convert", RESNET, dest);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/cannot tell which format to write from '.*model\.weird'/);
    expect(existsSync(dest)).toBe(false);
  });

  it("an opset out of range is bad usage", async () => {
    expect((await run("convert", RESNET, join(dir, "x.onnx"), "--opset", "9")).code).toBe(2);
  });
});
