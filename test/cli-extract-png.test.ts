/** `kerasgraph extract --png`: each layer's output also drawn as a heatmap grid (tools/heatmap). */
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { decode } from "fast-png";
import { afterAll, describe, expect, it } from "vitest";
import { registerExtract } from "../src/cli/extract.js";
import { readNpyFile } from "../src/formats/npy/index.js";
import { activationGrid } from "../src/tools/heatmap/index.js";
import { FIXTURES } from "./fixture-files.js";

const RESNET = join(FIXTURES, "keras3/seed/toy_resnet");
const dir = mkdtempSync(join(tmpdir(), "kerasgraph-extract-png-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function extract(...argv: string[]): Promise<string> {
  let out = "";
  const io = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (out += s) } };
  const program = new Command("kerasgraph").exitOverride();
  registerExtract(program, io);
  await program.parseAsync(["extract", ...argv], { from: "user" });
  return out;
}

describe("kerasgraph extract --png", () => {
  it("writes <layer>.png beside <layer>.npy: tiles for a conv map, a strip for a vector", async () => {
    const out = join(dir, "resnet");
    const table = await extract(
      join(RESNET, "model.keras"),
      "--input",
      join(RESNET, "in/0.npy"),
      "--layers",
      "conv2d,dense",
      "--out",
      out,
      "--png",
    );
    expect(readdirSync(out).sort()).toEqual(["conv2d.npy", "conv2d.png", "dense.npy", "dense.png"]);
    expect(table).toContain(`${join(out, "conv2d.npy")} (+ .png)`);
    for (const [layer, size] of [
      ["conv2d", [374, 374]], // 32 channels of 30x30, scaled 2x, in a 6x6 grid
      ["dense", [1028, 74]], // 256 values, 64 to a row
    ] as const) {
      const png = decode(readFileSync(join(out, `${layer}.png`)));
      expect([png.width, png.height]).toEqual(size);
      const grid = activationGrid(await readNpyFile(join(out, `${layer}.npy`)));
      expect(Buffer.from(png.data as Uint8Array).equals(Buffer.from(grid.data))).toBe(true);
    }
  });

  it("writes no PNG without --png", async () => {
    const out = join(dir, "plain");
    await extract(join(RESNET, "model.keras"), "--input", join(RESNET, "in/0.npy"), "--layers", "dense", "--out", out);
    expect(readdirSync(out)).toEqual(["dense.npy"]);
  });
});
