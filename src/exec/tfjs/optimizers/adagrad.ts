import { KerasOptimizer, type OptimizerConfig } from "./base.js";

/** Keras 3's Adagrad: `a += g²` (from `initial_accumulator_value`), `w -= lr * g / sqrt(a + epsilon)`. */
export class Adagrad extends KerasOptimizer {
  readonly className = "Adagrad";
  constructor(config: OptimizerConfig = {}) {
    super(config, { name: "adagrad", learning_rate: 0.001, initial_accumulator_value: 0.1, epsilon: 1e-7 });
  }
  protected slotGroups(): string[][] {
    return [["accumulator"]];
  }
  protected override slotInitialValue(): number {
    return this.num("initial_accumulator_value");
  }
  protected updateStep(index: number, w: Float32Array, g: Float32Array, lr: number): void {
    const eps = this.num("epsilon");
    const a = this.slot("accumulator", index);
    for (let j = 0; j < w.length; j++) {
      a[j] = a[j]! + g[j]! * g[j]!;
      w[j] = w[j]! - (lr * g[j]!) / Math.sqrt(a[j]! + eps);
    }
  }
}
