/**
 * kerasgraph's Keras optimizers: the golden trajectories of Keras's own optimizer tests
 * (keras/src/optimizers/*_test.py `test_correctness_with_golden`: x = ones(10), one step on 0.01
 * gradients, then five on 0.1..1.0, checked at 5e-4), gradient clipping, accumulation and schedules,
 * and the SIMD kernels giving the JavaScript loops' floats bit for bit.
 */
import { describe, expect, it } from "vitest";
import {
  Adagrad,
  Adam,
  AdamW,
  Adamax,
  type KerasOptimizer,
  RMSprop,
  SGD,
  getOptimizer,
} from "../../src/exec/tfjs/optimizers/index.js";

const tile = (rows: number[]) => rows.map((v) => Array(10).fill(v) as number[]);
const GOLDEN: [string, () => KerasOptimizer, number[][]][] = [
  ["RMSprop(centered=True)", () => new RMSprop({ centered: true }), tile([0.9967, 0.9933, 0.9908, 0.9885, 0.9864])],
  ["Adam(amsgrad=True)", () => new Adam({ amsgrad: true }), tile([0.999, 0.9982, 0.9974, 0.9965, 0.9955])],
  [
    "SGD(nesterov=True)",
    () => new SGD({ nesterov: true }),
    [0, 1, 2, 3, 4].map((k) =>
      Array.from({ length: 10 }, (_, i) => (k === 0 ? 0.9999 : +(0.9999 - k * 0.001 * (i + 1)).toFixed(4))),
    ),
  ],
  [
    "AdamW(learning_rate=1.0, weight_decay=0.5, epsilon=2)",
    () => new AdamW({ learning_rate: 1.0, weight_decay: 0.5, epsilon: 2 }),
    [
      [0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998, 0.4998],
      [0.2486, 0.2475, 0.2463, 0.2451, 0.244, 0.2428, 0.2417, 0.2405, 0.2394, 0.2382],
      [0.1223, 0.1198, 0.1174, 0.1149, 0.1124, 0.11, 0.1075, 0.1051, 0.1027, 0.1003],
      [0.0586, 0.0549, 0.0512, 0.0475, 0.0439, 0.0402, 0.0366, 0.033, 0.0294, 0.0258],
      [0.0263, 0.0215, 0.0167, 0.012, 0.0073, 0.0026, -0.0021, -0.0067, -0.0113, -0.0159],
    ],
  ],
  [
    "Adagrad(learning_rate=0.2, initial_accumulator_value=0.3, epsilon=1e-6)",
    () => new Adagrad({ learning_rate: 0.2, initial_accumulator_value: 0.3, epsilon: 1e-6 }),
    [
      [0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963, 0.9963],
      [0.9604, 0.9278, 0.9003, 0.8784, 0.8615, 0.8487, 0.8388, 0.8313, 0.8255, 0.8209],
      [0.9251, 0.8629, 0.8137, 0.7768, 0.7497, 0.7298, 0.7151, 0.704, 0.6956, 0.6891],
      [0.8903, 0.8012, 0.7342, 0.6862, 0.6521, 0.6277, 0.6099, 0.5967, 0.5867, 0.579],
      [0.856, 0.7422, 0.6604, 0.6037, 0.5644, 0.5367, 0.5168, 0.5021, 0.491, 0.4825],
    ],
  ],
  [
    "Adamax(learning_rate=0.2, beta_1=0.85, beta_2=0.95, epsilon=1e-6)",
    () => new Adamax({ learning_rate: 0.2, beta_1: 0.85, beta_2: 0.95, epsilon: 1e-6 }),
    [
      [0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8],
      [0.6827, 0.6873, 0.6888, 0.6896, 0.6901, 0.6904, 0.6906, 0.6908, 0.6909, 0.691],
      [0.5333, 0.5407, 0.5431, 0.5444, 0.5451, 0.5456, 0.546, 0.5462, 0.5464, 0.5466],
      [0.368, 0.3773, 0.3804, 0.382, 0.3829, 0.3835, 0.384, 0.3843, 0.3846, 0.3848],
      [0.1933, 0.204, 0.2076, 0.2094, 0.2105, 0.2112, 0.2117, 0.2121, 0.2124, 0.2126],
    ],
  ],
];

describe("Keras's golden trajectories", () => {
  it.for(GOLDEN)("%s", ([, make, golden]) => {
    const optimizer = make();
    optimizer.build([[10]]);
    const x = new Float32Array(10).fill(1);
    const grads = Float32Array.from({ length: 10 }, (_, i) => 0.1 * (i + 1));
    optimizer.apply([x], [new Float32Array(10).fill(0.01)]);
    for (const row of golden) {
      row.forEach((want, i) => expect(Math.abs(x[i]! - want)).toBeLessThanOrEqual(5e-4 + 5e-4 * Math.abs(want)));
      optimizer.apply([x], [grads]);
    }
  });
});

describe("BaseOptimizer rules", () => {
  const step = (config: Record<string, unknown>, grad: number[]) => {
    const o = getOptimizer({ class_name: "SGD", config: { learning_rate: 1, ...config } });
    o.build([[grad.length]]);
    const w = new Float32Array(grad.length);
    o.apply([w], [Float32Array.from(grad)]);
    return Array.from(w, (v) => -v);
  };

  it("clip by norm, by global norm and by value", () => {
    expect(step({ clipnorm: 1 }, [100, 100]).map((v) => +v.toFixed(4))).toEqual([0.7071, 0.7071]);
    expect(step({ clipvalue: 1 }, [100, -0.5])).toEqual([1, -0.5]);
    const o = new SGD({ learning_rate: 1, global_clipnorm: 5 });
    o.build([[1], [1]]);
    const [a, b] = [new Float32Array(1), new Float32Array(1)];
    o.apply([a, b], [Float32Array.of(6), Float32Array.of(8)]);
    expect([-a[0]!, -b[0]!].map((v) => +v.toFixed(4))).toEqual([3, 4]);
    expect(() => new SGD({ clipnorm: 1, clipvalue: 1 })).toThrow(/only one of clipnorm, clipvalue and global_clipnorm/);
  });

  it("accumulates gradients over gradient_accumulation_steps and updates with their mean", () => {
    const o = new SGD({ learning_rate: 1, gradient_accumulation_steps: 2 });
    o.build([[1]]);
    const w = new Float32Array(1);
    o.apply([w], [Float32Array.of(2)]);
    expect(w[0]).toBe(0);
    o.apply([w], [Float32Array.of(4)]);
    expect(w[0]).toBe(-3);
    expect(o.iterations).toBe(2);
  });

  it("follows learning-rate schedules by iteration", () => {
    const o = getOptimizer({
      class_name: "SGD",
      config: {
        learning_rate: {
          class_name: "ExponentialDecay",
          config: { initial_learning_rate: 0.1, decay_steps: 2, decay_rate: 0.5, staircase: true },
        },
      },
    });
    o.build([[1]]);
    const rates: number[] = [];
    for (let i = 0; i < 5; i++) {
      rates.push(o.currentLearningRate());
      o.apply([new Float32Array(1)], [Float32Array.of(1)]);
    }
    expect(rates).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
  });

  it("names what it does not know", () => {
    expect(() => getOptimizer("lion")).toThrow(
      /unknown optimizer. Received: "lion"; kerasgraph trains with SGD, RMSprop, Adam, AdamW, Adagrad, Adamax/,
    );
    expect(() => new Adam({ use_ema: true })).toThrow(/use_ema is not supported/);
  });
});

describe("SIMD kernels", () => {
  const CONFIGS: [string, () => KerasOptimizer][] = [
    ["RMSprop", () => new RMSprop({})],
    ["SGD nesterov", () => new SGD({ learning_rate: 0.05, momentum: 0.9, nesterov: true })],
    ["SGD momentum", () => new SGD({ momentum: 0.5 })],
    ["Adam", () => new Adam({})],
  ];
  it.for(CONFIGS)("%s: the JavaScript loops' floats, bit for bit", ([, make]) => {
    const shapes = [[37, 5], [5], [7, 3]];
    const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
    let seed = 3;
    const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5;
    const [simd, plain] = [make(), make()];
    (plain as unknown as { simdUpdate: () => null }).simdUpdate = () => null;
    simd.build(shapes);
    plain.build(shapes);
    expect(simd.weightBuffer(0)).not.toBeNull();
    expect(plain.weightBuffer(0)).toBeNull();
    const a = shapes.map((s) => Float32Array.from({ length: size(s) }, rnd));
    const b = a.map((p) => p.slice());
    for (let i = 0; i < 6; i++) {
      const g = shapes.map((s) => Float32Array.from({ length: size(s) }, rnd));
      simd.apply(a, g);
      plain.apply(b, g);
    }
    a.forEach((p, i) => expect(Buffer.from(p.buffer).equals(Buffer.from(b[i]!.buffer))).toBe(true));
    simd.slots().forEach((s, i) => expect(Array.from(s.values)).toEqual(Array.from(plain.slots()[i]!.values)));
  });
});
