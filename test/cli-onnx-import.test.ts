/**
 * The command line on foreign ONNX files: `convert MODEL.onnx OUT.{keras,h5,json}` and `--to tfjs`,
 * `summary` and `plot` (every command reads models through openModel, which imports .onnx).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readNpyFile, writeNpyFile } from "../src/formats/npy/index.js";
import { openModel } from "../src/formats/open.js";
import { mismatch } from "./support/allclose.js";
import { seeded } from "./support/onnx-reference.js";
import { FIXTURES } from "./fixture-files.js";
import { node, onnxModel } from "./support/onnx-graphs.js";
import { runCli as run } from "./support/cli.js";

const AUTOENCODER = join(FIXTURES, "keras3/seed/autoencoder/keras_export.onnx");
const TAXINET = join(FIXTURES, "real/NeuralNetworkVerification+Marabou/resources/onnx/KJ_TinyTaxiNet.onnx");
const dir = mkdtempSync(join(tmpdir(), "kerasgraph-cli-onnx-"));

describe("kerasgraph with .onnx models", () => {
  it("summary prints the imported Keras layers", async () => {
    const r = await run("summary", AUTOENCODER);
    expect(r).toMatchObject({ code: 0, err: "" });
    // Keras's exporter wrote the autoencoder channels-last behind transposes; it comes back as written in Keras.
    expect(r.out).toContain("conv2d (Conv2D)");
    expect(r.out).toContain("(None, 26, 26, 16)");
    expect(r.out).toContain("(GlobalMaxPooling2D)");
    expect(r.out).toContain("up_sampling2d (UpSampling2D)");
  });

  for (const ext of ["keras", "h5", "json"]) {
    it(`convert MODEL.onnx OUT.${ext}`, async () => {
      const dest = join(dir, `taxinet.${ext}`);
      const r = await run("convert", TAXINET, dest);
      expect(r).toMatchObject({ code: 0, err: "" });
      const { graph } = await openModel(dest, ext === "json" ? { weights: false } : {});
      expect(graph.layers.map((l) => l.className)).toEqual([
        "InputLayer",
        "Conv2D",
        "Flatten",
        "Dense",
        "Dense",
        "Dense",
      ]);
    });
  }

  it("convert MODEL.onnx OUTDIR --to tfjs writes a TF.js layers model", async () => {
    const dest = join(dir, "taxinet_tfjs");
    const r = await run("convert", TAXINET, dest, "--to", "tfjs");
    expect(r.code).toBe(0);
    expect(existsSync(join(dest, "model.json"))).toBe(true);
    const json = JSON.parse(readFileSync(join(dest, "model.json"), "utf8")) as { format: string };
    expect(json.format).toBe("layers-model");
    const { graph } = await openModel(join(dest, "model.json"));
    expect(graph.layers.map((l) => l.className)).toEqual([
      "InputLayer",
      "Conv2D",
      "Flatten",
      "Dense",
      "Dense",
      "Dense",
    ]);
  });

  it("plot draws the imported model", async () => {
    const dest = join(dir, "autoencoder.dot");
    const r = await run("plot", AUTOENCODER, "--out", dest);
    expect(r.code).toBe(0);
    expect(readFileSync(dest, "utf8")).toContain("Conv2DTranspose");
  });

  it("predict --engine tfjs runs the imported model; --engine onnx runs the file as it is: same outputs", async () => {
    const rand = seeded(5);
    const x = { dtype: "float32", shape: [2, 8, 16, 1], data: Float32Array.from({ length: 256 }, () => rand()) };
    const input = join(dir, "x.npy");
    await writeNpyFile(input, x);
    const outs: Record<string, string> = { onnx: join(dir, "pred_onnx"), tfjs: join(dir, "pred_tfjs") };
    for (const engine of ["onnx", "tfjs"]) {
      const r = await run(
        "predict",
        TAXINET,
        "--input",
        input,
        "--out",
        outs[engine]!,
        "--engine",
        engine,
        ...(engine === "tfjs" ? ["--backend", "cpu"] : []),
      );
      expect(r.code, r.err).toBe(0);
    }
    const a = await readNpyFile(join(outs.onnx!, "0.npy"));
    const b = await readNpyFile(join(outs.tfjs!, "0.npy"));
    expect(mismatch(b, a)).toBeNull();
  });

  it("an op without a Keras layer exits 1 naming the op and the node", async () => {
    const file = join(dir, "erf.onnx");
    const bytes = onnxModel({
      inputs: [{ name: "x", shape: ["N", 4] }],
      outputs: [{ name: "y" }],
      nodes: [node("Erf", ["x"], ["y"])],
    });
    writeFileSync(file, bytes);
    const r = await run("summary", file);
    expect(r.code).toBe(1);
    expect(r.err).toContain("Erf node 'Erf_y': ONNX op 'Erf' has no Keras layer equivalent");
  });
});
