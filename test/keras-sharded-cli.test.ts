/**
 * Keras 3 sharded weights from the command line (`kerasgraph convert DEST.weights.json --max-shard-size`,
 * `--weights DEST.weights.json`, batches with `--to weights`) and from the Keras-style API
 * (`model.saveWeights(path, { maxShardSize })`, `model.loadWeights(path)`).
 */
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadModel } from "../src/api/saving.js";
import { openModel } from "../src/formats/open.js";
import { FIXTURES } from "./fixture-files.js";
import { runCli, weightBytes } from "./support/cli.js";

const MNIST = join(FIXTURES, "keras3/seed/mnist_mlp/model.keras");
const RESNET = join(FIXTURES, "keras3/seed/toy_resnet/model.keras");
const fresh = () => mkdtempSync(join(tmpdir(), "kerasgraph-sharded-cli-"));
const open = async (path: string, weightsFile?: string) =>
  (await openModel(path, weightsFile ? { weightsFile } : {})).graph;

describe("kerasgraph convert --max-shard-size", () => {
  it("writes a manifest and shards; --weights reads them back bit for bit", async () => {
    const dir = fresh();
    const r = await runCli("convert", MNIST, join(dir, "m.weights.json"), "--max-shard-size", "100KB");
    expect(r).toMatchObject({ code: 1 });
    expect(r.err).toMatch(/weight 'kernel' of shape \(784, 64\) is 196\.00 KB/);
    const ok = await runCli("convert", MNIST, join(dir, "m.weights.h5"), "--max-shard-size", "0.0002");
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.out).toMatch(/wrote .*m\.weights\.json \(Keras sharded weights, 2 shard\(s\), \d+ layers\)/);
    const back = join(dir, "back.keras");
    expect((await runCli("convert", MNIST, back, "--weights", join(dir, "m.weights.json"))).code).toBe(0);
    expect(weightBytes(await open(back))).toEqual(weightBytes(await open(MNIST)));
  });

  it("writes one .weights.h5 without it, and refuses it for formats Keras does not shard", async () => {
    const dir = fresh();
    expect((await runCli("convert", MNIST, join(dir, "w.weights.h5"))).out).toMatch(/\(Keras weights, /);
    expect(readdirSync(dir)).toEqual(["w.weights.h5"]);
    const keras = await runCli("convert", MNIST, join(dir, "m.keras"), "--max-shard-size", "1GB");
    expect(keras.code).toBe(1);
    expect(keras.err).toMatch(/--max-shard-size shards weights-only output .*Received: --to keras/);
    const tfjs = await runCli("convert", MNIST, join(dir, "tfjs"), "--max-shard-size", "1GB");
    expect(tfjs.err).toMatch(/TF\.js: use --shard-size/);
    expect((await runCli("convert", MNIST, join(dir, "x.weights.json"), "--max-shard-size", "lots")).code).toBe(2);
    expect(readdirSync(dir)).toEqual(["w.weights.h5"]);
  });
});

describe("kerasgraph convert --out-dir --to weights", () => {
  it("writes a manifest and shards per source", async () => {
    const dir = fresh();
    const r = await runCli("convert", MNIST, RESNET, "--out-dir", dir, "--to", "weights", "--max-shard-size", "0.0002");
    expect(r.code, r.err + r.out).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([
      "mnist_mlp.weights.json",
      "mnist_mlp_00000.weights.h5",
      "mnist_mlp_00001.weights.h5",
      "toy_resnet.weights.json",
      "toy_resnet_00000.weights.h5",
      "toy_resnet_00001.weights.h5",
      "toy_resnet_00002.weights.h5",
      "toy_resnet_00003.weights.h5",
      "toy_resnet_00004.weights.h5",
      "toy_resnet_00005.weights.h5",
      "toy_resnet_00006.weights.h5",
    ]);
    expect(weightBytes(await open(RESNET, join(dir, "toy_resnet.weights.json")))).toEqual(
      weightBytes(await open(RESNET)),
    );
    const keras = await runCli("convert", MNIST, "--out-dir", dir, "--to", "keras", "--max-shard-size", "1GB");
    expect(keras.code).toBe(2);
  }, 120_000);
});

describe("model.saveWeights / model.loadWeights", () => {
  it("save sharded weights as Keras's save_weights(max_shard_size=) does and load them back", async () => {
    const dir = fresh();
    const model = await loadModel(MNIST);
    const files = await model.saveWeights(join(dir, "mnist.weights.json"), { maxShardSize: 0.0002 });
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      "mnist.weights.json",
      "mnist_00000.weights.h5",
      "mnist_00001.weights.h5",
    ]);
    const other = await loadModel(MNIST);
    other.graph.layers.forEach((l) => l.values.clear());
    await other.loadWeights(files[0]!);
    expect(weightBytes(other.graph)).toEqual(weightBytes(model.graph));
    await expect(model.saveWeights(join(dir, "mnist.h5"))).rejects.toThrow(
      /The filename must end in `\.weights\.h5`.*Received: filepath=.*mnist\.h5/,
    );
  });
});
