/**
 * Sharded weights manifests from strangers: shard names must be plain file names beside the manifest,
 * every shard must exist and be HDF5, and the manifest must agree with its shards. Each refusal names the
 * manifest, the layer or weight, and what was received.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { writeKerasWeightsFile } from "../src/formats/keras-zip/weights-write.js";
import { openModel } from "../src/formats/open.js";
import { FIXTURES } from "./fixture-files.js";

const MNIST = join(FIXTURES, "keras3/seed/mnist_mlp/model.keras");
const fresh = () => mkdtempSync(join(tmpdir(), "kerasgraph-sharded-hostile-"));
type Manifest = { metadata?: unknown; weight_map: Record<string, unknown> };

/** mnist_mlp at 196 KB: dense's kernel in shard 0; its bias, dense_1 and dense_2 in shard 1. */
let written: string;
let manifest: Manifest;
beforeAll(async () => {
  written = fresh();
  const { graph } = await openModel(MNIST);
  const [file] = await writeKerasWeightsFile(graph, join(written, "m.weights.json"), { maxShardSize: "196KB" });
  manifest = JSON.parse(readFileSync(file!, "utf8"));
});

/** The shards in a fresh folder, beside `text` (or the manifest changed by `edit`) as m.weights.json. */
function variant(edit: (m: Manifest) => unknown, files: Record<string, string> = {}): string {
  const dir = fresh();
  for (const f of readdirSync(written).filter((n) => n.endsWith(".h5"))) copyFileSync(join(written, f), join(dir, f));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const m = structuredClone(manifest);
  const out = edit(m) ?? m;
  writeFileSync(join(dir, "m.weights.json"), typeof out === "string" ? out : JSON.stringify(out));
  return join(dir, "m.weights.json");
}

const read = (path: string) => openModel(MNIST, { weightsFile: path });

describe("a sharded weights manifest is refused", () => {
  it.each([
    ["a parent folder", "../m_00000.weights.h5"],
    ["an absolute path", "/etc/passwd"],
    ["a subfolder", "sub/m_00000.weights.h5"],
    ["a Windows path", "..\\m_00000.weights.h5"],
    ["a drive", "C:m_00000.weights.h5"],
    ["the folder itself", "."],
    ["an empty name", ""],
    ["a control character", "m_00000.weights.h5\n"],
  ])("when a shard is named by %s", async (_, name) => {
    const path = variant((m) => void (m.weight_map["/layers/dense_1/vars"] = name));
    await expect(read(path)).rejects.toThrow(
      `m.weights.json: weight_map['/layers/dense_1/vars'] names a shard outside the manifest's folder; shards must be ` +
        `file names beside it (Keras writes m_00000.weights.h5). Received: ${JSON.stringify(name)}`,
    );
  });

  it.each([
    [
      "a number",
      7,
      /weight_map\['\/layers\/dense_1\/vars'\] must be a shard file name or a list of them\. Received: 7/,
    ],
    ["an empty list", [], /must be a shard file name or a list of them\. Received: \[\]/],
    ["a list with a number", ["m_00001.weights.h5", 1], /Received: \["m_00001\.weights\.h5",1\]/],
  ])("when a weight_map value is %s", async (_, value, message) => {
    await expect(read(variant((m) => void (m.weight_map["/layers/dense_1/vars"] = value)))).rejects.toThrow(message);
  });

  it("when it is not JSON, has no weight_map, or nests without end", async () => {
    await expect(read(variant(() => "{ not json"))).rejects.toThrow(
      /m\.weights\.json: is not a valid sharded weights manifest: not JSON/,
    );
    await expect(read(variant(() => ({ metadata: {} })))).rejects.toThrow(
      /m\.weights\.json: is not an HDF5 weights file .* nor a Keras sharded weights manifest .*Received: keys metadata/,
    );
    await expect(read(variant(() => `{"weight_map": ${"[".repeat(5000)}${"]".repeat(5000)}}`))).rejects.toThrow(
      /nests lists and objects .* over the limit maxJsonDepth/,
    );
  });

  it("when a shard is missing, is not HDF5, or is a folder", async () => {
    const missing = variant((m) => void (m.weight_map["/layers/dense_1/vars"] = "m_00007.weights.h5"));
    await expect(read(missing)).rejects.toThrow(
      /m\.weights\.json: shard 'm_00007\.weights\.h5' \(listed for layer 'dense_1' \(Dense\) at '\/layers\/dense_1\/vars'\) does not exist\. Received: ENOENT/,
    );
    const text = variant((m) => void (m.weight_map["/layers/dense_1/vars"] = "notes.weights.h5"), {
      "notes.weights.h5": "just some text",
    });
    await expect(read(text)).rejects.toThrow(
      /shard 'notes\.weights\.h5' \(listed for layer 'dense_1' \(Dense\) at '\/layers\/dense_1\/vars'\) is not an HDF5 file\. Received: first bytes 6a 75 73 74/,
    );
    const folder = variant((m) => void (m.weight_map["/layers/dense_1/vars"] = "sub"));
    mkdirSync(join(folder, "..", "sub"));
    await expect(read(folder)).rejects.toThrow(
      /shard 'sub' \(listed for layer 'dense_1' \(Dense\) at .*\) is not a file/,
    );
  });

  it("when a weight is in none of the shards it lists", async () => {
    const path = variant(() => ({ weight_map: { "/layers/dense/vars": "m_00000.weights.h5" } }));
    await expect(read(path)).rejects.toThrow(
      /m\.weights\.json: layer 'dense' \(Dense\): m\.weights\.json \(shards: m_00000\.weights\.h5\) 'layers\/dense\/vars' holds 1 variable\(s\), but the layer has 2 \(kernel, bias\); missing: 1 \(bias\)/,
    );
  });

  it("when it lists a shard for a group the shard does not have", async () => {
    const path = variant(
      (m) => void (m.weight_map["/layers/dense_2/vars"] = ["m_00001.weights.h5", "m_00000.weights.h5"]),
    );
    await expect(read(path)).rejects.toThrow(
      /weight_map lists shard 'm_00000\.weights\.h5' for layer 'dense_2' \(Dense\) at '\/layers\/dense_2\/vars', but that shard has no such group/,
    );
  });

  it("when two shards hold the same weight", async () => {
    const path = variant(
      (m) => void (m.weight_map["/layers/dense_1/vars"] = ["m_00001.weights.h5", "copy.weights.h5"]),
    );
    copyFileSync(join(written, "m_00001.weights.h5"), join(path, "..", "copy.weights.h5"));
    await expect(read(path)).rejects.toThrow(
      /'\/layers\/dense\/vars\/1' is a dataset in m_00001\.weights\.h5 and a dataset in copy\.weights\.h5; a weight must be in one file only/,
    );
  });

  it("as a model of its own: it holds weights, not an architecture", async () => {
    await expect(openModel(variant(() => undefined))).rejects.toThrow(
      /m\.weights\.json: is a Keras sharded weights manifest .*Open the model's architecture .* with this file as its weights/,
    );
  });
});
