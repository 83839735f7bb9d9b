/**
 * `kerasgraph train` and `kerasgraph predict --engine tfjs`: Keras's training trace reproduced from the
 * command line (compile config from the .keras file, history written as JSON, trained model saved with
 * its optimizer state), compile arguments from flags, progress lines, and nothing written when the
 * input is bad or training is interrupted.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readNpyFile } from "../src/formats/npy/index.js";
import { openModel } from "../src/formats/open.js";
import { mismatch } from "./support/allclose.js";
import { KERAS3, readJson } from "./support/fixtures.js";
import { runCli as run } from "./support/cli.js";

const TRAIN = join(KERAS3, "train");
const X = join(TRAIN, "data/x.npy");
const Y = join(TRAIN, "data/y.npy");
const scratch = mkdtempSync(join(tmpdir(), "kerasgraph-train-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("kerasgraph train", () => {
  it("reproduces Keras's RMSprop trace with the compile config of the .keras file", async () => {
    const out = join(scratch, "rmsprop.keras");
    const history = join(scratch, "rmsprop-history.json");
    const args = ["--epochs", "3", "--batch-size", "64", "--validation-split", "0.2", "--no-shuffle"];
    const r = await run(
      "train",
      join(TRAIN, "mlp_rmsprop/initial.keras"),
      "--x",
      X,
      "--y",
      Y,
      ...args,
      "--out",
      out,
      "--history",
      history,
    );
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    // Not a TTY: one Keras verbose=2 line per epoch.
    expect(r.out).toMatch(
      /^Epoch 1\/3\n16\/16 - \d+s - \d+m?s\/step - accuracy: 0\.1084 - loss: 2\.3423 - val_accuracy: 0\.0859 - val_loss: 2\.3215\n/,
    );
    const want = readJson<{ history: Record<string, number[]> }>(join(TRAIN, "mlp_rmsprop/trace.json")).history;
    const got = readJson<{ history: Record<string, number[]> }>(history).history;
    for (const [k, v] of Object.entries(want))
      v.forEach((w, e) => expect(Math.abs(got[k]![e]! - w) / w).toBeLessThanOrEqual(1e-3));

    const { graph } = await openModel(out);
    const kernel = graph.getLayer("dense")!.values.get("kernel")!;
    const ref = await readNpyFile(join(TRAIN, "mlp_rmsprop/trained_weights/0.npy"));
    expect(
      mismatch({ dtype: "float32", shape: kernel.shape, data: kernel.values }, ref, { atol: 1e-6, rtol: 1e-3 }),
    ).toBeNull();
    // The optimizer's variables as Keras saves them: iteration, learning_rate, one velocity per variable.
    expect(graph.optimizer?.variables.map((v) => v.data.dtype)).toEqual(["int32", ...Array(7).fill("float32")]);
    expect(Number(graph.optimizer!.variables[0]!.data.values[0])).toBe(48);
    expect(graph.envelope.compile_config).toMatchObject({
      optimizer: { class_name: "RMSprop" },
      metrics: ["accuracy"],
    });
  });

  it("compiles from --optimizer, --loss and --metrics (names or Keras JSON)", async () => {
    const out = join(scratch, "flags.keras");
    const history = join(scratch, "flags-history.json");
    const r = await run(
      "train", join(KERAS3, "seed/mnist_mlp/model.keras"), "--x", X, "--y", Y, "--epochs", "2", "--batch-size", "128",
      "--optimizer", '{"class_name": "SGD", "config": {"learning_rate": 0.01, "momentum": 0.9}}',
      "--loss", '{"class_name": "SparseCategoricalCrossentropy", "config": {"from_logits": true}}',
      "--metrics", "accuracy,sparse_top_k_categorical_accuracy", "--quiet", "--out", out, "--history", history,
    ); // prettier-ignore
    expect(r.err).toBe("");
    expect(r.out).toBe("");
    const h = readJson<{ history: Record<string, number[]> }>(history).history;
    expect(Object.keys(h)).toEqual(["accuracy", "loss", "sparse_top_k_categorical_accuracy"]);
    expect(h.loss![1]!).toBeLessThan(h.loss![0]!);
    expect((await openModel(out)).graph.envelope.compile_config).toMatchObject({
      optimizer: { class_name: "SGD", config: { momentum: 0.9, nesterov: false } },
      metrics: ["accuracy", "sparse_top_k_categorical_accuracy"],
    });
  });

  it("writes nothing when x and y disagree", async () => {
    const out = join(scratch, "bad.keras");
    const xs = join(KERAS3, "seed/mnist_mlp/in/0.npy");
    const r = await run("train", join(TRAIN, "mlp_adam/initial.keras"), "--x", xs, "--y", Y, "--out", out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /^kerasgraph: x and y must hold the same number of samples. Received: input_layer: 3, dense_2: 1280\n$/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("writes nothing when training is interrupted (Ctrl-C)", async () => {
    const out = join(scratch, "interrupted.keras");
    const timer = setTimeout(() => process.emit("SIGINT"), 400);
    const r = await run(
      "train",
      join(TRAIN, "mlp_adam/initial.keras"),
      "--x",
      X,
      "--y",
      Y,
      "--epochs",
      "500",
      "--quiet",
      "--out",
      out,
    );
    clearTimeout(timer);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`training was interrupted; ${out} was not written.`);
    expect(readdirSync(scratch).filter((f) => f.includes("interrupted"))).toEqual([]);
    expect(process.listenerCount("SIGINT")).toBe(0);
  });
});

describe("kerasgraph predict --engine tfjs", () => {
  it("writes Keras's predictions", async () => {
    const dir = join(scratch, "pred");
    const r = await run(
      "predict",
      join(KERAS3, "seed/mnist_mlp/model.keras"),
      "--input",
      join(KERAS3, "seed/mnist_mlp/in/0.npy"),
      "--engine",
      "tfjs",
      "--out",
      dir,
    );
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/0 +dense_2 +\(3, 10\) +float32/);
    expect(
      mismatch(await readNpyFile(join(dir, "0.npy")), await readNpyFile(join(KERAS3, "seed/mnist_mlp/out/0.npy"))),
    ).toBeNull();
  });
});
