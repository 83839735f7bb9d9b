/**
 * The `predict` and `extract` commands (src/cli/predict.ts, extract.ts) and convert's ONNX branch
 * (src/cli/convert-onnx.ts), run on a program of their own until main.ts registers them.
 */
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command, CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { convertToOnnx } from "../src/cli/convert-onnx.js";
import { registerExtract } from "../src/cli/extract.js";
import type { CliIO } from "../src/cli/io.js";
import { registerPredict } from "../src/cli/predict.js";
import { reportError } from "../src/cli/report-error.js";
import { readNpyFile } from "../src/formats/npy/index.js";
import { decodeOnnxModel } from "../src/formats/onnx/proto.js";
import { readFileSync } from "node:fs";
import { mismatch } from "./support/allclose.js";
import { KERAS3 } from "./support/fixtures.js";

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const io: CliIO = { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } };
  const program = new Command("kerasgraph")
    .exitOverride()
    .configureOutput({ writeOut: (s) => (out += s), writeErr: (s) => (err += s) });
  registerPredict(program, io);
  registerExtract(program, io);
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(argv, { from: "user" });
    return { code: 0, out, err };
  } catch (e) {
    if (e instanceof CommanderError) return { code: e.exitCode === 0 ? 0 : 2, out, err };
    return { code: reportError(e, io, false), out, err };
  }
}

const tmp = () => mkdtempSync(join(tmpdir(), "kg-cli-"));
const TICKETS = join(KERAS3, "zoo/merge_family");
const AUTOENC = join(KERAS3, "seed/nested_autoencoder");

describe("kerasgraph predict", () => {
  it("writes DIR/<i>.npy in output order and prints their shapes", async () => {
    const dir = join(KERAS3, "seed/mnist_mlp");
    const out = tmp();
    const r = await run("predict", join(dir, "model.keras"), "--input", join(dir, "in/0.npy"), "--out", out);
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(r.out).toMatch(/^output\s+layer\s+shape\s+dtype\s+file\n0\s+dense_2\s+\(3, 10\)\s+float32/);
    expect(mismatch(await readNpyFile(join(out, "0.npy")), await readNpyFile(join(dir, "out/0.npy")))).toBeNull();
  });

  it("takes inputs by name", async () => {
    const out = tmp();
    const r = await run(
      "predict",
      join(TICKETS, "model.keras"),
      "--input",
      `b=${join(TICKETS, "in/1.npy")}`,
      "--input",
      `a=${join(TICKETS, "in/0.npy")}`,
      "--out",
      out,
    );
    expect(r.err).toBe("");
    expect(readdirSync(out).sort()).toEqual(["0.npy"]);
  });

  it("runs an .onnx file as it is (Keras's own export)", async () => {
    const dir = join(KERAS3, "seed/mnist_mlp");
    const out = tmp();
    const r = await run("predict", join(dir, "keras_export.onnx"), "--input", join(dir, "in/0.npy"), "--out", out);
    expect(r.code).toBe(0);
    expect(mismatch(await readNpyFile(join(out, "0.npy")), await readNpyFile(join(dir, "out/0.npy")))).toBeNull();
  });

  it("names the input and the expected shape when an array does not fit", async () => {
    const dir = join(KERAS3, "seed/mnist_mlp");
    const r = await run(
      "predict",
      join(dir, "model.keras"),
      "--input",
      join(KERAS3, "seed/autoencoder/in/0.npy"),
      "--out",
      tmp(),
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /input 'input_layer': expected shape \(None, 784\) and dtype float32\. Received: shape \(3, 28, 28, 1\)/,
    );
  });

  it("refuses a wrong number of inputs", async () => {
    const r = await run("predict", join(TICKETS, "model.keras"), "--input", join(TICKETS, "in/0.npy"), "--out", tmp());
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/expects 2 input\(s\): 'a' \(None, 6\) float32, 'b' \(None, 6\) float32\. Received: 1 array/);
  });
});

describe("kerasgraph extract", () => {
  it("writes DIR/<layer>.npy, nested layers by path", async () => {
    const out = tmp();
    const r = await run(
      "extract",
      join(AUTOENC, "model.keras"),
      "--input",
      join(AUTOENC, "in/0.npy"),
      "--layers",
      "encoder/conv2d,decoder",
      "--out",
      out,
    );
    expect(r).toMatchObject({ code: 0, err: "" });
    expect(existsSync(join(out, "encoder/conv2d.npy"))).toBe(true);
    expect(existsSync(join(out, "decoder.npy"))).toBe(true);
    expect(r.out).toContain("encoder/conv2d");
  });

  it("--layers all writes every layer", async () => {
    const dir = join(KERAS3, "seed/mnist_mlp");
    const out = tmp();
    const r = await run(
      "extract",
      join(dir, "model.keras"),
      "--input",
      join(dir, "in/0.npy"),
      "--layers",
      "all",
      "--out",
      out,
    );
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["dense.npy", "dense_1.npy", "dense_2.npy", "input_layer.npy"]);
    expect(
      mismatch(await readNpyFile(join(out, "dense_1.npy")), await readNpyFile(join(dir, "activations/dense_1.npy"))),
    ).toBeNull();
  });

  it("names the missing layer and lists the model's", async () => {
    const dir = join(KERAS3, "seed/mnist_mlp");
    const r = await run(
      "extract",
      join(dir, "model.keras"),
      "--input",
      join(dir, "in/0.npy"),
      "--layers",
      "conv9",
      "--out",
      tmp(),
    );
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/the model has no layer 'conv9'.*layers are: input_layer, dense, dense_1, dense_2/);
  });
});

describe("kerasgraph convert MODEL OUT.onnx", () => {
  it("writes the ONNX file at the opset asked for", async () => {
    const out = join(tmp(), "m.onnx");
    let text = "";
    await convertToOnnx(
      join(KERAS3, "seed/mnist_mlp/model.keras"),
      out,
      { opset: 13 },
      { stdout: { write: (s: string) => (text += s) }, stderr: { write: () => 0 } },
    );
    expect(text).toMatch(/wrote .*m\.onnx \(ONNX opset 13, \d+ nodes/);
    expect(decodeOnnxModel(readFileSync(out)).opsetImports).toEqual([{ domain: "", version: 13 }]);
  });
});
