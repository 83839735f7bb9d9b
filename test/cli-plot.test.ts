import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FIXTURES } from "./fixture-files.js";
import { runCli as run } from "./support/cli.js";

const RESNET = join(FIXTURES, "keras3/seed/toy_resnet/model.json");
const NESTED = join(FIXTURES, "keras3/seed/nested_autoencoder/model.json");
const dir = mkdtempSync(join(tmpdir(), "kerasgraph-plot-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("kerasgraph plot", () => {
  it.each([
    ["svg", "<?xml"],
    ["png", "\x89PNG"],
    ["dot", "digraph G {"],
  ])("writes .%s by the extension", async (ext, head) => {
    const out = join(dir, `resnet.${ext}`);
    const r = await run("plot", RESNET, "--out", out, "--show-shapes");
    expect(r).toEqual({ code: 0, out: `wrote ${out} (${ext})\n`, err: "" });
    expect(readFileSync(out, "latin1").startsWith(head)).toBe(true);
  });

  it("passes every Keras option through to the DOT", async () => {
    const out = join(dir, "all.dot");
    const r = await run(
      "plot", NESTED, "--out", out, "--show-shapes", "--show-dtype", "--no-show-layer-names",
      "--show-layer-activations", "--show-trainable", "--expand-nested", "--rankdir", "LR", "--dpi", "96",
      "--splines", "polyline",
    ); // prettier-ignore
    expect(r.code).toBe(0);
    const dot = readFileSync(out, "utf8");
    expect(dot).toMatch(/^digraph G \{\nrankdir=LR;\nconcentrate=true;\ndpi=96;\nsplines=polyline;\n/);
    expect(dot).toContain("subgraph cluster_encoder {");
    expect(dot).toContain(
      '"encoder/conv2d" [label=<<table border="0" cellborder="1" bgcolor="black" cellpadding="10">' +
        '<tr><td colspan="4" bgcolor="black"><font point-size="16" color="white"><b>Conv2D</b></font></td></tr>' +
        '<tr><td bgcolor="white" colspan="4"><font point-size="14">Activation: <b>relu</b></font></td></tr>',
    );
    expect(dot).toContain("Output dtype: <b>float32</b>");
    expect(dot).toContain("<b>Trainable</b>");
  });

  it("shows layer names by default, as Keras's model_to_dot", async () => {
    const out = join(dir, "names.dot");
    expect((await run("plot", RESNET, "--out", out)).code).toBe(0);
    expect(readFileSync(out, "utf8")).toContain("<b>conv2d</b> (Conv2D)");
  });

  it.each([
    [["--show-shape"], "error: unknown option '--show-shape'"],
    [["--rankdir", "BT"], "Allowed choices are TB, LR"],
    [["--dpi", "0"], "expected a number of dots per inch above 0 and at most 2400. Received: 0"],
    [["--dpi", "lots"], "Received: lots"],
  ])("refuses %j as bad usage (exit 2)", async (flags, message) => {
    const out = join(dir, "bad.svg");
    const r = await run("plot", RESNET, "--out", out, ...flags);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses an --out whose extension is not .svg, .png or .dot", async () => {
    const r = await run("plot", RESNET, "--out", join(dir, "model.jpg"));
    expect(r.code).toBe(2);
    expect(r.err).toContain("its extension must be .svg, .png, .dot. Received: '.jpg'");
  });

  it("requires --out", async () => {
    const r = await run("plot", RESNET);
    expect(r.code).toBe(2);
    expect(r.err).toContain("required option '--out <file>' not specified");
  });

  it("an output folder that does not exist is a clear error, and nothing is written", async () => {
    const out = join(dir, "no-such-folder", "model.svg");
    const r = await run("plot", RESNET, "--out", out);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      `kerasgraph: plot: cannot write '${out}': the folder '${join(dir, "no-such-folder")}' does not exist. Received: out=${out}\n`,
    );
    expect(existsSync(join(dir, "no-such-folder"))).toBe(false);
  });

  it("a failed plot leaves an existing file as it was and no temporary file behind", async () => {
    const sub = mkdtempSync(join(dir, "keep-"));
    const out = join(sub, "model.png");
    writeFileSync(out, "old");
    const r = await run("plot", RESNET, "--out", out, "--dpi", "2400");
    expect(r.code).toBe(1);
    expect(r.err).toContain("lower the dpi or write an SVG");
    expect(readFileSync(out, "utf8")).toBe("old");
    expect(readdirSync(sub)).toEqual(["model.png"]);
  });

  it("a model file that is not there is exit 1", async () => {
    const r = await run("plot", join(dir, "missing.json"), "--out", join(dir, "x.svg"));
    expect(r.code).toBe(1);
    expect(r.err).toContain("no such file or directory");
  });
});
