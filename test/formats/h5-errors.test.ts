import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { setNameList } from "../../src/formats/h5/legacy-weights.js";
import { H5Tree, writeH5File } from "../../src/formats/hdf5/writer.js";
import { openModel } from "../../src/formats/open.js";
import { FormatError } from "../../src/ir/errors.js";
import { WeightData } from "../../src/ir/weights.js";
import { KERAS3 } from "../support/fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "kerasgraph-h5-errors-"));
const MLP_H5 = join(KERAS3, "seed/mnist_mlp/model.h5");
const MLP_JSON = readFileSync(join(KERAS3, "seed/mnist_mlp/model.json"), "utf8");

async function failure(path: string, options: { weightsFile?: string } = {}): Promise<Error> {
  try {
    await openModel(path, options);
  } catch (e) {
    return e as Error;
  }
  throw new Error(`${path} opened`);
}

/** The MLP's architecture JSON with a change to its layer entries, saved as `name`. */
function mlpJson(name: string, change: (layers: { config: Record<string, unknown> }[]) => void): string {
  const config = JSON.parse(MLP_JSON);
  change(config.config.layers);
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(config));
  return path;
}

/** A legacy model file with the MLP's config and a `model_weights` group the test fills. */
function craft(name: string, fill: (tree: H5Tree) => void): string {
  const path = join(dir, name);
  const tree = new H5Tree();
  tree.attr("/", "keras_version", { kind: "text", value: "3.16.0", cset: "utf8" });
  tree.attr("/", "model_config", { kind: "text", value: MLP_JSON, cset: "ascii" });
  tree.group("/model_weights");
  setNameList(tree, "/model_weights", "layer_names", ["input_layer", "dense", "dense_1", "dense_2"]);
  fill(tree);
  writeH5File(tree, path);
  return path;
}

const zeros = (shape: number[]) => new WeightData("float32", shape, new Float32Array(shape.reduce((a, b) => a * b, 1)));

describe("bad .h5 input: a FormatError naming the file and the layer", () => {
  it("a truncated file", async () => {
    const path = join(dir, "truncated.h5");
    const bytes = readFileSync(MLP_H5);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const e = await failure(path);
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(
      /truncated\.h5: (cannot be opened as HDF5 \(corrupt or truncated\?\)|is a damaged HDF5 file: .*truncated)/,
    );
  });

  it("a layer group missing", async () => {
    const path = craft("nogroup.h5", (t) => {
      for (const g of ["input_layer", "dense"]) t.group(`/model_weights/${g}`);
    });
    const e = await failure(path);
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(
      /nogroup\.h5: lists layer 'dense_1' in layer_names, but has no group '\/model_weights\/dense_1'/,
    );
  });

  it("a weight dataset missing", async () => {
    const path = craft("nodataset.h5", (t) => {
      for (const g of ["input_layer", "dense", "dense_1", "dense_2"]) t.group(`/model_weights/${g}`);
      for (const [g, inp, out] of [
        ["dense", 784, 64],
        ["dense_1", 64, 64],
        ["dense_2", 64, 10],
      ] as const) {
        setNameList(t, `/model_weights/${g}`, "weight_names", [`${g}/kernel`, `${g}/bias`]);
        t.dataset(`/model_weights/${g}/${g}/kernel`, zeros([inp, out]));
        if (g !== "dense_1") t.dataset(`/model_weights/${g}/${g}/bias`, zeros([out]));
      }
    });
    const e = await failure(path);
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(
      /nodataset\.h5: layer 'dense_1': weight_names lists 'dense_1\/bias', but '\/model_weights\/dense_1\/dense_1\/bias' is not a dataset/,
    );
  });

  it("weights with other shapes than the config's", async () => {
    const arch = mlpJson("units.json", (layers) => void (layers[1]!.config.units = 32));
    const e = await failure(arch, { weightsFile: MLP_H5 });
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(
      /model\.h5: layer 'dense' \(Dense\): weight 'kernel' has shape \(784, 32\) in the model, but '\/model_weights\/dense\/dense\/kernel' holds shape \(784, 64\)/,
    );
  });

  it("a layer with another number of weights", async () => {
    const arch = mlpJson("nobias.json", (layers) => void (layers[2]!.config.use_bias = false));
    const e = await failure(arch, { weightsFile: MLP_H5 });
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(
      /layer 'dense_1' \(Dense\) has 1 weight\(s\) \(dense_1\/kernel\), but the file's group '\/model_weights\/dense_1' holds 2/,
    );
  });

  it("weights of another architecture", async () => {
    const e = await failure(join(KERAS3, "seed/autoencoder/model.json"), { weightsFile: MLP_H5 });
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(
      /model\.h5: holds weights for 3 layer\(s\) \(dense, dense_1, dense_2\), but the model has 8 layer\(s\) with weights/,
    );
  });

  it("a weights file that is not HDF5", async () => {
    const e = await failure(join(KERAS3, "seed/mnist_mlp/model.json"), {
      weightsFile: join(KERAS3, "seed/mnist_mlp/model.json"),
    });
    expect(e).toBeInstanceOf(FormatError);
    expect(e.message).toMatch(/model\.json: is not an HDF5 weights file/);
  });
});
