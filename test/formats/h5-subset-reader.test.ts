import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadHdf5, openHdf5 } from "../../src/formats/hdf5/h5wasm.js";
import { type H5Reader, withH5Reader } from "../../src/formats/hdf5/reader.js";
import { ZipReader } from "../../src/formats/keras-zip/zip-reader.js";
import { openModel } from "../../src/formats/open.js";
import { saveModel } from "../../src/formats/save.js";
import { registryWithCustoms } from "../support/custom-layers.js";
import { FIXTURES, KERAS3 } from "../support/fixtures.js";
import { bytesOf } from "../support/model-weights.js";

/**
 * The TypeScript reader of h5py's layout against the HDF5 library (h5wasm) on every HDF5 file of the
 * fixtures — Keras 3's model.h5 and model.weights.h5 (read in place inside the .keras), real Keras 2
 * files, and files kerasgraph wrote: the same tree, attributes and bytes.
 */
const dir = mkdtempSync(join(tmpdir(), "kerasgraph-subset-"));
const files: { name: string; path: string }[] = [];
for (const set of ["seed", "zoo", "layers"]) {
  for (const c of readdirSync(join(KERAS3, set)).sort()) {
    for (const f of ["model.h5", "model.keras"]) {
      if (existsSync(join(KERAS3, set, c, f))) files.push({ name: `${set}/${c}/${f}`, path: join(KERAS3, set, c, f) });
    }
  }
}
for (const f of [
  "102757017+lstm-multi/model.h5",
  "98mprice+mario-level-generator/model.keras",
  "AniketDogra+GuessTheDoodle/model/model.h5",
  "Khushibung05+RNN_LSTM_GRU/gru_model.h5",
  "fastmachinelearning+example-models/keras/KERAS_3layer_batch_norm_weights.h5",
  "07subhadip+CNN_Project_MNIST_TFJS/Subhadip_Hensh_MNIST_CNN.keras",
]) {
  files.push({ name: `real/${f}`, path: join(FIXTURES, "real", f) });
}

/** Everything a reader says about a file, as comparable lines. */
function describeFile(reader: H5Reader): string[] {
  const lines: string[] = [];
  const walk = (path: string) => {
    for (const name of reader.attrNames(path).sort())
      lines.push(
        `${path} @${name} = ${JSON.stringify(reader.attr(path, name), (_, v) => (typeof v === "bigint" ? String(v) : v))}`,
      );
    for (const child of reader.children(path)) {
      const p = `${path === "/" ? "" : path}/${child}`;
      const kind = reader.kind(p);
      if (kind === "group") {
        lines.push(`${p}/`);
        walk(p);
      } else if (kind === "dataset") {
        const data = reader.dataset(p);
        lines.push(
          `${p}: ${data.dtype} ${JSON.stringify(data.shape)} ${Buffer.from(bytesOf(data)).toString("base64").slice(0, 64)} #${Buffer.from(bytesOf(data)).reduce((a, b) => (a * 31 + b) >>> 0, 7)}`,
        );
        for (const name of reader.attrNames(p).sort())
          lines.push(`${p} @${name} = ${JSON.stringify(reader.attr(p, name))}`);
      }
    }
  };
  walk("/");
  return lines;
}

async function hdf5File(path: string): Promise<{ path: string; base: number }> {
  if (!path.endsWith(".keras")) return { path, base: 0 };
  let zip: ZipReader;
  try {
    zip = new ZipReader(path);
  } catch {
    return { path, base: 0 }; // a .keras that is really HDF5
  }
  try {
    return { path, base: zip.dataOffset(zip.entry("model.weights.h5")!) };
  } finally {
    zip.close();
  }
}

describe.each(files)("$name", ({ path }) => {
  it("reads the same tree, attributes and bytes as the HDF5 library", async () => {
    const { base } = await hdf5File(path);
    const ours = await withH5Reader(path, describeFile, { base, engine: "subset" });
    if (base) {
      // The library cannot read a zip member in place; compare against the member written out.
      const out = join(dir, `${path.replace(/[/+]/g, "_")}.member.h5`);
      const zip = new ZipReader(path);
      zip.extractTo(zip.entry("model.weights.h5")!, out);
      zip.close();
      expect(ours).toEqual(await withH5Reader(out, describeFile, { engine: "hdf5" }));
    } else expect(ours).toEqual(await withH5Reader(path, describeFile, { engine: "hdf5" }));
  });
});

describe("files kerasgraph writes", () => {
  it.for(["zoo/recurrent_family", "seed/nested_autoencoder", "zoo/attention_family"])(
    "%s: .h5 and .keras are in h5py's layout",
    async (name) => {
      const { graph } = await openModel(join(KERAS3, name, "model.keras"), { registry: registryWithCustoms() });
      const h5 = join(dir, `${name.replace("/", "_")}.h5`);
      await saveModel(graph, h5);
      expect(await withH5Reader(h5, describeFile, { engine: "subset" })).toEqual(
        await withH5Reader(h5, describeFile, { engine: "hdf5" }),
      );
      const keras = join(dir, `${name.replace("/", "_")}.keras`);
      await saveModel(graph, keras);
      const { base } = await hdf5File(keras);
      await expect(withH5Reader(keras, describeFile, { base, engine: "subset" })).resolves.toBeTruthy();
    },
  );
});

describe("member order", () => {
  it("names sort by their UTF-8 bytes, as the HDF5 library lists them, where UTF-16 order differs", async () => {
    await loadHdf5();
    const path = join(dir, "names.h5");
    // U+FF21 is EF BC A1 in UTF-8, U+1F600 is F0 9F 98 80: bytes put U+FF21 first, UTF-16 units (FF21 >
    // D83D) the emoji first; "Z" < "a" in both.
    const names = ["b", "\u{1F600}", "a", "\uFF21", "Z", "é", "ab"];
    const f = openHdf5(path, "w");
    for (const name of names) f.create_group(name);
    f.close();
    const subset = await withH5Reader(path, (r) => r.children("/"), { engine: "subset" });
    expect(subset).toEqual(await withH5Reader(path, (r) => r.children("/"), { engine: "hdf5" }));
    expect(subset).toEqual(["Z", "a", "ab", "b", "é", "\uFF21", "\u{1F600}"]);
  });
});
