import { readFileSync } from "node:fs";
import { join } from "node:path";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { detectFormat, type ModelFormat } from "../../src/formats/detect.js";
import { FormatError } from "../../src/ir/errors.js";
import { FIXTURES, fixtureFiles } from "../fixture-files.js";

/** What each fixture is, by what we know of it (not by what detect says); null = not a model file. */
function expected(file: string): ModelFormat | null {
  if (file.endsWith("98mprice+mario-level-generator/model.keras")) return "h5"; // HDF5 named .keras
  if (file.endsWith(".keras")) return "keras-zip";
  if (file.endsWith(".h5")) return "h5";
  if (file.endsWith(".onnx")) return "onnx";
  if (
    /\/(model|bundle_model_test)\.json$/.test(file) &&
    file.startsWith("real/") &&
    !file.includes("fastmachinelearning")
  ) {
    return "tfjs"; // TF.js folders: model.json beside .bin shards
  }
  if (/^real\/.*\.json$/.test(file) || /^keras3\/.*\/model\.json$/.test(file)) return "keras-json";
  return null; // .bin shards, TensorProto .pb files, case/layers/meta/trace JSON, summaries, READMEs
}

const files = [...fixtureFiles("real"), ...fixtureFiles("keras3")];
const read = (file: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, file)));

describe("detectFormat on every fixture", () => {
  it("covers every kind of model file", () => {
    const kinds = new Set(files.map(expected));
    expect([...kinds].sort()).toEqual(["h5", "keras-json", "keras-zip", "onnx", "tfjs", null].sort());
  });

  it.each(files.filter((f) => expected(f) !== null))("%s", (file) => {
    expect(detectFormat(read(file), file)).toBe(expected(file));
  });

  it.each(files.filter((f) => expected(f) === null))("%s is not a model", (file) => {
    expect(() => detectFormat(read(file), file)).toThrow(FormatError);
    expect(() => detectFormat(read(file), file)).toThrow(file);
  });
});

describe("detectFormat edge cases", () => {
  const hdf5 = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

  it("finds the HDF5 signature after a 512-byte user block", () => {
    const bytes = new Uint8Array(1024);
    bytes.set(hdf5, 512);
    expect(detectFormat(bytes)).toBe("h5");
  });

  it("reads a JSON string holding the model JSON (json.dumps of to_json())", () => {
    const inner = JSON.stringify({ class_name: "Sequential", config: { layers: [] } });
    expect(detectFormat(strToU8(JSON.stringify(inner)))).toBe("keras-json");
  });

  it("accepts Keras's model_config wrapper and TF.js's layers-model", () => {
    expect(detectFormat(strToU8('{"model_config": {}}'))).toBe("keras-json");
    expect(detectFormat(strToU8('{"format": "layers-model", "modelTopology": {}}'))).toBe("tfjs");
  });

  it("tells a zip without config.json from a .keras archive", () => {
    const zip = zipSync({ "other.txt": strToU8("x") });
    expect(() => detectFormat(zip, "a.keras")).toThrow(/a\.keras: is a zip archive without config\.json/);
    expect(detectFormat(zipSync({ "config.json": strToU8("{}") }))).toBe("keras-zip");
  });

  it("names the file and its first bytes when nothing matches", () => {
    expect(() => detectFormat(strToU8("\x7fELF binary"), "x.bin")).toThrow(
      /x\.bin: .*Received: first bytes 7f 45 4c 46/,
    );
    expect(() => detectFormat(new Uint8Array(0), "empty.h5")).toThrow(/empty\.h5: the file is empty/);
  });

  it("rejects TF.js graph models and JSON that is not a model", () => {
    expect(() => detectFormat(strToU8('{"format": "graph-model", "modelTopology": {}}'), "g.json")).toThrow(
      /graph model/,
    );
    expect(() => detectFormat(strToU8('{"total_params": 3}'), "case.json")).toThrow(
      /Received: an object with keys total_params/,
    );
    expect(() => detectFormat(strToU8("{oops"), "bad.json")).toThrow(/bad\.json: not valid JSON/);
  });
});
