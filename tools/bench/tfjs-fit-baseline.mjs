// Plain tfjs-layers training, for tools/bench/train.ts: the MLP (784-64-64-10, relu, softmax output)
// compiled with tfjs's own RMSprop and sparseCategoricalCrossentropy, fit on the same samples. Runs in
// its own process so that stock tfjs kernels are timed (kerasgraph replaces some in its own process).
// argv: backend (wasm|cpu), samples, epochs. Prints {"secondsPerEpoch": [...], "cpuSecondsPerEpoch": [...]}.
import { performance } from "node:perf_hooks";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { benchSamples } from "./train-data.mjs";

const [backend = "wasm", samples = "48000", epochs = "2"] = process.argv.slice(2);
tf.env().set("PROD", true);
await tf.setBackend(backend);
await tf.ready();
const { x, y } = benchSamples(Number(samples));
const model = tf.sequential({
  layers: [
    tf.layers.dense({ units: 64, activation: "relu", inputShape: [784] }),
    tf.layers.dense({ units: 64, activation: "relu" }),
    tf.layers.dense({ units: 10, activation: "softmax" }),
  ],
});
model.compile({ optimizer: tf.train.rmsprop(0.001), loss: "sparseCategoricalCrossentropy", metrics: ["accuracy"] });
const xs = tf.tensor2d(x, [Number(samples), 784]);
const ys = tf.tensor2d(Float32Array.from(y), [Number(samples), 1]);
const secondsPerEpoch = [];
const cpuSecondsPerEpoch = [];
let start = 0;
let cpu = process.cpuUsage();
await model.fit(xs, ys, {
  batchSize: 64,
  epochs: Number(epochs),
  shuffle: true,
  verbose: 0,
  callbacks: {
    onEpochBegin: async () => {
      start = performance.now();
      cpu = process.cpuUsage();
    },
    onEpochEnd: async () => {
      secondsPerEpoch.push((performance.now() - start) / 1000);
      const used = process.cpuUsage(cpu);
      cpuSecondsPerEpoch.push((used.user + used.system) / 1e6);
    },
  },
});
console.log(JSON.stringify({ secondsPerEpoch, cpuSecondsPerEpoch }));
