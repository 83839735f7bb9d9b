import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { readH5Architecture } from "../../src/formats/h5/read-architecture.js";
import { readKerasZipArchitecture } from "../../src/formats/keras-zip/read-architecture.js";
import { openModel } from "../../src/formats/open.js";
import { readTfjsArchitecture } from "../../src/formats/tfjs/read-architecture.js";
import { FormatError } from "../../src/ir/errors.js";
import { FIXTURES } from "../fixture-files.js";

const MLP_TEXT = readFileSync(join(FIXTURES, "keras3/seed/mnist_mlp/model.json"), "utf8"); // 55,050 params
const MLP = JSON.parse(MLP_TEXT) as unknown;
const dir = mkdtempSync(join(tmpdir(), "kerasgraph-open-"));

describe("openModel", () => {
  it("reads a file holding the model JSON as a JSON string (parsed twice)", async () => {
    const file = join(dir, "double.json");
    writeFileSync(file, JSON.stringify(MLP_TEXT));
    const { format, graph } = await openModel(file);
    expect(format).toBe("keras-json");
    expect(graph.paramCounts().total).toBe(55050);
  });

  it("reads a .keras archive whatever its name, with metadata.json's version", async () => {
    const file = join(dir, "model.bin");
    writeFileSync(
      file,
      zipSync({ "metadata.json": strToU8('{"keras_version": "3.16.0"}'), "config.json": strToU8(MLP_TEXT) }),
    );
    expect(await openModel(file)).toMatchObject({ format: "keras-zip", kerasVersion: "3.16.0" });
  });

  it("imports ONNX files into a graph (detected by content)", async () => {
    const file = join(FIXTURES, "real/onnx+onnx/onnx/backend/test/data/pytorch-converted/test_Linear/model.onnx");
    const opened = await openModel(file);
    expect(opened.format).toBe("onnx");
    expect(opened.graph.layers.some((l) => l.className === "Dense")).toBe(true);
  });

  it("passes Node's file errors through, with the path", async () => {
    await expect(openModel(join(dir, "missing.h5"))).rejects.toMatchObject({ code: "ENOENT" });
    // A folder is a model folder (Keras's or TF.js's) or a FormatError naming what it holds (keras-written.test.ts).
    await expect(openModel(dir)).rejects.toThrow(/is a folder without config\.json .*Received: /);
  });
});

describe("architecture readers", () => {
  it("h5: model_config stored as bytes, and the versions", () => {
    const attrs = {
      model_config: { value: strToU8(MLP_TEXT) },
      keras_version: { value: "2.15.0" },
      backend: { value: ["tensorflow"] },
    };
    expect(readH5Architecture({ attrs })).toMatchObject({ kerasVersion: "2.15.0", backend: "tensorflow" });
    expect(readH5Architecture({ attrs }).modelConfig).toEqual(MLP);
  });

  it("h5: a file that is not a Keras model names its root attributes", () => {
    expect(() => readH5Architecture({ attrs: { CLASS: { value: "GROUP" } } }, "x.h5")).toThrow(
      /x\.h5: is an HDF5 file without a model_config attribute.*Received root attributes: CLASS/,
    );
  });

  it("keras-zip: an archive without config.json lists its entries", () => {
    const zip = zipSync({ "model.weights.h5": new Uint8Array(4) });
    expect(() => readKerasZipArchitecture(zip, "m.keras")).toThrow(FormatError);
    expect(() => readKerasZipArchitecture(zip, "m.keras")).toThrow(
      /no config\.json. Received entries: model\.weights\.h5/,
    );
  });

  it("tfjs: both modelTopology forms", () => {
    const converter = { modelTopology: { keras_version: "2.3.0", backend: "tensorflow", model_config: MLP } };
    expect(readTfjsArchitecture(converter)).toEqual({ modelConfig: MLP, kerasVersion: "2.3.0", backend: "tensorflow" });
    const layers = { modelTopology: { ...(MLP as object), keras_version: "tfjs-layers 1.0" } };
    expect(readTfjsArchitecture(layers)).toMatchObject({ kerasVersion: "tfjs-layers 1.0" });
    expect(() => readTfjsArchitecture({ format: "layers-model" }, "m.json")).toThrow(
      /m\.json: TF\.js model\.json needs/,
    );
  });
});
