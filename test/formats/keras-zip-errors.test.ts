import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { writeH5Model } from "../../src/formats/h5/write.js";
import { writeKerasArchive } from "../../src/formats/keras-zip/write.js";
import { openModel } from "../../src/formats/open.js";
import { saveModel } from "../../src/formats/save.js";
import { FormatError, UnsupportedLayerError } from "../../src/ir/errors.js";
import { KERAS3 } from "../support/fixtures.js";
import { registryWithDistance, siameseModel } from "../support/custom-distance.js";
import { valueCounts, weightDifferences } from "../support/model-weights.js";

const dir = mkdtempSync(join(tmpdir(), "kerasgraph-keras-zip-errors-"));
const MLP = join(KERAS3, "seed/mnist_mlp/model.keras");
const members = (path: string) => unzipSync(new Uint8Array(readFileSync(path)));

/** An archive made of the MLP's members, some replaced. */
function archive(name: string, replace: Record<string, Uint8Array | null>): string {
  const files: Record<string, Uint8Array> = {};
  for (const [k, v] of Object.entries({ ...members(MLP), ...replace })) if (v) files[k] = v;
  const path = join(dir, name);
  writeFileSync(path, zipSync(files, { level: 0 }));
  return path;
}

/** The MLP's config.json with a change applied to its layer entries. */
function mlpConfig(change: (layers: { class_name: string; config: Record<string, unknown> }[]) => void): Uint8Array {
  const config = JSON.parse(strFromU8(members(MLP)["config.json"]!));
  change(config.config.layers);
  return strToU8(JSON.stringify(config));
}

async function failure(path: string): Promise<Error> {
  try {
    await openModel(path);
  } catch (e) {
    return e as Error;
  }
  throw new Error(`${path} opened`);
}

describe("bad .keras input: a FormatError naming the file (and the layer)", () => {
  it("a truncated archive", async () => {
    const bytes = readFileSync(MLP);
    const path = join(dir, "truncated.keras");
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const e = await failure(path);
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(/truncated\.keras: .*truncated/);
  });

  it("a damaged weights member (CRC mismatch)", async () => {
    const bytes = new Uint8Array(readFileSync(MLP));
    const at = bytes.length - 40_000; // inside model.weights.h5's data
    bytes[at] = bytes[at]! ^ 0xff;
    const path = join(dir, "damaged.keras");
    writeFileSync(path, bytes);
    const e = await failure(path);
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(/damaged\.keras: member 'model\.weights\.h5' is corrupt \(CRC-32 mismatch\)/);
  });

  it("an archive without config.json lists what it holds", async () => {
    const e = await failure(archive("noconfig.keras", { "config.json": null }));
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(
      /noconfig\.keras: is a zip archive without config\.json.*Received entries: metadata\.json, model\.weights\.h5/,
    );
  });

  it("a weights member that is not HDF5", async () => {
    const e = await failure(archive("nothdf5.keras", { "model.weights.h5": strToU8("not hdf5") }));
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(
      /nothdf5\.keras(: model\.weights\.h5 in the archive is not a readable HDF5 file| \(model\.weights\.h5\): is a damaged HDF5 file)/,
    );
  });

  it("weights with other shapes than the config's", async () => {
    const path = archive("shapes.keras", { "config.json": mlpConfig((layers) => void (layers[1]!.config.units = 32)) });
    const e = await failure(path);
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(
      /shapes\.keras: layer 'dense' \(Dense\): weight 'kernel' has shape \(784, 32\) in the model, but model\.weights\.h5 'layers\/dense\/vars\/0' holds shape \(784, 64\)/,
    );
  });

  it("a layer with fewer weights than the file holds for it", async () => {
    const path = archive("nobias.keras", {
      "config.json": mlpConfig((layers) => void (layers[2]!.config.use_bias = false)),
    });
    const e = await failure(path);
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(
      /nobias\.keras: layer 'dense_1' \(Dense\): model\.weights\.h5 'layers\/dense_1\/vars' holds 2 variable\(s\), but the layer has 1 \(kernel\)/,
    );
  });

  it("weights of another model", async () => {
    const other = members(join(KERAS3, "seed/autoencoder/model.keras"))["model.weights.h5"]!;
    const e = await failure(archive("other.keras", { "model.weights.h5": other }));
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(
      /other\.keras: layer 'dense' \(Dense\): model\.weights\.h5 has no group 'layers\/dense\/vars'/,
    );
  });

  it("weights the model has no layer for", async () => {
    // The last Dense becomes an Activation: its weights in the file belong to nothing.
    const path = archive("extra.keras", {
      "config.json": mlpConfig((layers) => {
        layers[3]!.class_name = "Activation";
        layers[3]!.config = { name: "dense_2", trainable: true, dtype: "float32", activation: "softmax" };
      }),
    });
    const e = await failure(path);
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(
      /extra\.keras: model\.weights\.h5 holds 2 weight\(s\) at 'layers\/dense_2\/vars' \(object 'dense_2'\) that no layer/,
    );
  });
});

describe("writing leaves no partial file", () => {
  it("a failed .keras or .h5 write creates nothing and keeps an existing file as it was", async () => {
    const graph = (await openModel(MLP)).graph;
    graph.getLayer("dense_1")!.values.delete("kernel");
    const out = join(dir, "atomic");
    mkdirSync(out);
    await expect(writeKerasArchive(graph, join(out, "m.keras"))).rejects.toThrow(
      /layer 'dense_1' \(Dense\) has no value for weight 'kernel'/,
    );
    await expect(writeH5Model(graph, join(out, "m.h5"))).rejects.toThrow(FormatError);
    expect(readdirSync(out)).toEqual([]);
    writeFileSync(join(out, "m.keras"), "previous");
    await expect(saveModel(graph, join(out, "m.keras"))).rejects.toThrow(FormatError);
    expect(readFileSync(join(out, "m.keras"), "utf8")).toBe("previous");
    expect(readdirSync(out)).toEqual(["m.keras"]);
  });

  it("saveModel picks the format from the extension, or says which to choose", async () => {
    const graph = (await openModel(MLP)).graph;
    expect(await saveModel(graph, join(dir, "m.h5"))).toBe("h5");
    expect(await saveModel(graph, join(dir, "m.json"))).toBe("json");
    await expect(saveModel(graph, join(dir, "m.bin"))).rejects.toThrow(
      /m\.bin: cannot tell which format.*\.keras, \.h5 or \.json/,
    );
    expect(existsSync(join(dir, "m.bin"))).toBe(false);
  });
});

describe("a custom layer", () => {
  const withKind = registryWithDistance();
  const graph = siameseModel(withKind);

  it.for(["siamese.keras", "siamese.h5"])("%s fails naming the class until its kind is registered", async (name) => {
    const path = join(dir, name);
    await saveModel(graph, path, { registry: withKind });
    const e = await failure(path);
    expect(e).toBeInstanceOf(UnsupportedLayerError);
    expect((e as UnsupportedLayerError).className).toBe("ManhattanDistance");
    expect(e.message).toMatch(
      new RegExp(`${name.replace(".", "\\.")}: layer 'distance' has class 'ManhattanDistance'`),
    );
    const opened = await openModel(path, { registry: withKind });
    expect(valueCounts(opened.graph)).toEqual({ weights: 4, values: 4 });
    expect(weightDifferences(graph, opened.graph)).toEqual([]);
  });
});
