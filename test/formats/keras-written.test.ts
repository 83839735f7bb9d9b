/**
 * Files real Keras 3.16 wrote that the reference set lacked (fixtures/keras3-written/, made by
 * tools/keras-check/keras_loads_ours.py on the keras3 fixture models): sharded weights
 * (`save_weights(max_shard_size=)`), `.keras` archives with NumPy weights (`weights_format="npz"`) and
 * model folders (`save(zipped=False)`). Each reads to the fixture model's weights bit for bit and predicts
 * what Keras predicted; our sharded writer deals the same model out exactly as Keras did.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/exec/ort/model.js";
import { readNpyFile } from "../../src/formats/npy/read.js";
import { writeKerasWeightsFile } from "../../src/formats/keras-zip/weights-write.js";
import { openModel } from "../../src/formats/open.js";
import { withH5Reader } from "../../src/formats/hdf5/reader.js";
import { FormatError } from "../../src/ir/errors.js";
import { FIXTURES } from "../fixture-files.js";
import { mismatch } from "../support/allclose.js";
import { weightDifferences } from "../support/model-weights.js";

const WRITTEN = join(FIXTURES, "keras3-written");
const KERAS3 = join(FIXTURES, "keras3");
const cases = (kind: string) => readdirSync(join(WRITTEN, kind)).sort();
/** `seed+mnist_mlp` → the fixture case it was written from, `fixtures/keras3/seed/mnist_mlp`. */
const source = (dir: string) => join(KERAS3, dir.replace("+", "/"));
const info = (dir: string) => JSON.parse(readFileSync(join(dir, "written.json"), "utf8"));
const temp = mkdtempSync(join(tmpdir(), "kerasgraph-written-"));

/** Runs the model on the folder's in/*.npy and compares with Keras's out/*.npy. */
async function predictsAsKeras(dir: string, model: string, weightsFile?: string): Promise<void> {
  const ort = await loadModel(model, weightsFile ? { weightsFile } : {});
  try {
    const inputs = await Promise.all(
      readdirSync(join(dir, "in"))
        .sort()
        .map((f) => readNpyFile(join(dir, "in", f))),
    );
    const outputs = await ort.predict(inputs);
    const want = readdirSync(join(dir, "out")).sort();
    expect(outputs.length).toBe(want.length);
    for (const [i, f] of want.entries())
      expect(mismatch(outputs[i]!, await readNpyFile(join(dir, "out", f)))).toBeNull();
  } finally {
    await ort.dispose();
  }
}

describe("sharded weights Keras wrote (save_weights to .weights.json with max_shard_size)", () => {
  for (const c of cases("sharded")) {
    const dir = join(WRITTEN, "sharded", c);
    const manifest = join(dir, "model.weights.json");

    it(`${c}: reads to the .keras weights bit for bit and predicts as Keras`, async () => {
      const fromShards = await openModel(join(source(c), "model.json"), { weightsFile: manifest });
      const fromKeras = await openModel(join(source(c), "model.keras"));
      expect(weightDifferences(fromShards.graph, fromKeras.graph)).toEqual([]);
      await predictsAsKeras(dir, join(source(c), "model.json"), manifest);
    });

    it(`${c}: written by us at the same max_shard_size, the same manifest text and shards`, async () => {
      const { graph } = await openModel(join(source(c), "model.keras"));
      const out = join(temp, c);
      mkdirSync(out, { recursive: true });
      const files = await writeKerasWeightsFile(graph, join(out, "model.weights.json"), {
        maxShardSize: String(info(dir).max_shard_size),
      });
      expect(readFileSync(files[0]!, "utf8")).toBe(readFileSync(manifest, "utf8"));
      const shards = readdirSync(dir).filter((f) => f.endsWith(".weights.h5"));
      expect(files.slice(1).map((f) => f.slice(out.length + 1))).toEqual(shards.sort());
      for (const shard of shards) expect(await layout(join(out, shard))).toEqual(await layout(join(dir, shard)));
    });
  }
});

/** Every group (with its `name` attribute) and dataset (with dtype and shape) of an HDF5 file. */
async function layout(path: string): Promise<string[]> {
  return withH5Reader(path, (r) => {
    const out: string[] = [];
    const walk = (at: string) => {
      for (const c of r.children(at)) {
        const p = `${at}/${c}`;
        if (r.kind(p) === "group") {
          const name = r.attr(p, "name");
          out.push(`${p}/${name === undefined ? "" : ` name=${String(name)}`}`);
          walk(p);
        } else {
          const d = r.dataset(p);
          out.push(`${p} ${d.dtype}(${d.shape.join(", ")})`);
        }
      }
    };
    walk("");
    return out;
  });
}

describe(".keras archives with NumPy weights Keras wrote (saving_lib.save_model(weights_format='npz'))", () => {
  // Keras's NpzIOStore pickles the backend's Variables as they are: on torch, keras.src.backend.Variable
  // objects holding torch Parameters (torch.storage._load_from_bytes), which only Keras and torch unpickle.
  // model.save() takes no weights_format; these archives come only from saving_lib directly.
  for (const c of cases("npz")) {
    it(`${c}: refused with what the pickles hold and what to do, naming the member`, async () => {
      await expect(openModel(join(WRITTEN, "npz", c, "model.keras"))).rejects.toThrow(
        /model\.keras: model\.weights\.npz '[^']+\.npy': cannot read the pickled weights \(global 'keras\.src\.backend Variable': the weights are pickled backend objects .*Save the model with the default h5 weights instead/,
      );
    });
  }
});

describe("Keras model folders (save(path, zipped=False); a Hugging Face Hub Keras repository)", () => {
  for (const c of cases("unzipped")) {
    const dir = join(WRITTEN, "unzipped", c);
    it(`${c}: reads as the .keras does, and predicts as Keras`, async () => {
      const folder = await openModel(join(dir, "model"));
      expect(folder).toMatchObject({ format: "keras-dir", kerasVersion: "3.16.0" });
      const archive = await openModel(join(source(c), "model.keras"));
      expect(weightDifferences(folder.graph, archive.graph)).toEqual([]);
      expect(folder.graph.paramCounts()).toEqual(archive.graph.paramCounts());
      await predictsAsKeras(dir, join(dir, "model"));
    });
  }

  const folder = (files: Record<string, string | Uint8Array>) => {
    const dir = mkdtempSync(join(temp, "folder-"));
    for (const [name, body] of Object.entries(files)) {
      mkdirSync(join(dir, name, ".."), { recursive: true });
      writeFileSync(join(dir, name), body);
    }
    return dir;
  };
  const mnist = join(WRITTEN, "unzipped/seed+mnist_mlp/model");

  it("reads NumPy weights stored under Keras's h5 name (what save(zipped=False) does with npz weights)", async () => {
    const archive = join(KERAS3, "npz/recurrent_family.keras"); // NumPy arrays, in NpzIOStore's layout
    const { unzipSync } = await import("fflate");
    const members = unzipSync(readFileSync(archive));
    const dir = folder({ "config.json": members["config.json"]!, "model.weights.h5": members["model.weights.npz"]! });
    const read = await openModel(dir);
    expect(weightDifferences(read.graph, (await openModel(archive)).graph)).toEqual([]);
  });

  it("carries assets/ (links to files followed, as in a Hugging Face cache) and reads config-only folders", async () => {
    const dir = folder({ "config.json": readFileSync(join(mnist, "config.json")), "assets/vocab/words.txt": "a\nb\n" });
    symlinkSync(join(dir, "assets/vocab/words.txt"), join(dir, "assets/linked.txt"));
    const { graph } = await openModel(dir);
    expect([...(graph.assets?.keys() ?? [])]).toEqual(["assets/linked.txt", "assets/vocab/words.txt"]);
    expect(new TextDecoder().decode(graph.assets!.get("assets/linked.txt"))).toBe("a\nb\n");
    expect(graph.layers.every((l) => l.values.size === 0)).toBe(true);
  });

  it("opens a TF.js folder by its model.json, and refuses other folders naming what is there", async () => {
    const tfjs = join(FIXTURES, "real/4tsu+fashion_mnist_check/model");
    expect((await openModel(tfjs)).format).toBe("tfjs");
    const other = folder({ "notes.txt": "hello" });
    await expect(openModel(other)).rejects.toThrow(FormatError);
    await expect(openModel(other)).rejects.toThrow(
      `${other}: is a folder without config.json (a Keras model folder, from model.save(path, zipped=False)) or ` +
        "model.json (a TF.js layers model). Received: notes.txt",
    );
  });

  it("names the weights file when it is neither HDF5 nor .npz", async () => {
    const dir = folder({ "config.json": readFileSync(join(mnist, "config.json")), "model.weights.h5": "not weights" });
    await expect(openModel(dir)).rejects.toThrow(
      `${join(dir, "model.weights.h5")}: is neither HDF5 nor a NumPy .npz archive, so not Keras weights. Received: first bytes 6e 6f 74 20`,
    );
  });
});
