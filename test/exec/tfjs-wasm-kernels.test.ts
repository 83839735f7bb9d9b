/**
 * The kernels kerasgraph changes in tfjs-backend-wasm 4.22 (src/exec/tfjs/wasm-*.ts, segment-sum-kernel.ts):
 * BatchMatMul with a transposed operand runs on XNNPACK yet returns the stock kernel's floats bit for
 * bit; Conv3DBackpropInputV2 (wrong on wasm) and UnsortedSegmentSum (missing on wasm) agree with the
 * CPU backend.
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { beforeAll, describe, expect, it } from "vitest";
import { useTfjsBackend } from "../../src/exec/tfjs/runtime.js";

type Case = [number[], number[], boolean, boolean];
const MATMULS: Case[] = [
  [[64, 784], [64, 64], true, false], // a Dense kernel's gradient, xᵀ·dy
  [[64, 64], [784, 64], false, true], // a Dense input's gradient, dy·Wᵀ
  [[64, 10], [64, 10], false, true],
  [[100, 130], [100, 7], true, false], // the shared dimension in three blocks of 48
  [[5, 97], [7, 97], false, true],
  [[97, 5], [7, 97], true, true],
  [[1, 64, 50], [1, 64, 9], true, false],
  [[3, 4, 5], [3, 4, 6], true, false], // batched: the stock kernel, unchanged
];

function values(shape: number[], seed: number): Float32Array {
  let s = seed;
  return Float32Array.from(
    { length: shape.reduce((a, b) => a * b, 1) },
    () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 31 - 1,
  );
}

const matmuls = () =>
  tf.tidy(() =>
    MATMULS.map(
      ([a, b, ta, tb], i) =>
        tf.matMul(tf.tensor(values(a, i + 1), a), tf.tensor(values(b, i + 100), b), ta, tb).dataSync() as Float32Array,
    ),
  );

let stock: Float32Array[];
beforeAll(async () => {
  await tf.setBackend("wasm");
  await tf.ready();
  stock = matmuls();
});

describe("tfjs-backend-wasm kernels as kerasgraph runs them", () => {
  it("BatchMatMul with transposed operands: the stock kernel's floats, bit for bit", async () => {
    await useTfjsBackend("wasm");
    const ours = matmuls();
    ours.forEach((o, i) =>
      expect(Buffer.from(o.buffer).equals(Buffer.from(stock[i]!.buffer)), JSON.stringify(MATMULS[i])).toBe(true),
    );
  });

  it("conv3dTranspose (Conv3DBackpropInputV2) agrees with the CPU backend", async () => {
    const run = async (backend: "wasm" | "cpu") => {
      await useTfjsBackend(backend);
      return tf.tidy(() => {
        const x = tf.tensor(values([2, 6, 6, 6, 2], 7), [2, 6, 6, 6, 2]) as tf.Tensor5D;
        const f = tf.tensor(values([3, 3, 3, 4, 2], 8), [3, 3, 3, 4, 2]) as tf.Tensor5D;
        return tf.conv3dTranspose(x, f, [2, 12, 12, 12, 4], [2, 2, 2], "same").dataSync() as Float32Array;
      });
    };
    const [cpu, wasm] = [await run("cpu"), await run("wasm")];
    let worst = 0;
    for (let i = 0; i < cpu.length; i++) worst = Math.max(worst, Math.abs(cpu[i]! - wasm[i]!));
    expect(worst).toBeLessThan(1e-5);
  });

  it.for(["wasm", "cpu"] as const)(
    "UnsortedSegmentSum on %s sums rows by id and drops ids out of range",
    async (backend) => {
      await useTfjsBackend(backend);
      const got = tf.tidy(() =>
        tf
          .unsortedSegmentSum(
            tf.tensor2d([
              [1, 2],
              [3, 4],
              [5, 6],
              [7, 8],
            ]),
            tf.tensor1d([2, 0, 2, 5], "int32"),
            3,
          )
          .arraySync(),
      );
      expect(got).toEqual([
        [3, 4],
        [0, 0],
        [6, 8],
      ]);
    },
  );
});
