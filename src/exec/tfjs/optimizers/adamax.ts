import { KerasOptimizer, type OptimizerConfig } from "./base.js";

/** Keras 3's Adamax: `m += (g - m)(1 - β1)`, `u = max(β2·u, |g|)`, `w -= lr·m / ((1 - β1^t)(u + epsilon))`. */
export class Adamax extends KerasOptimizer {
  readonly className = "Adamax";
  constructor(config: OptimizerConfig = {}) {
    super(config, { name: "adamax", learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7 });
  }
  protected slotGroups(): string[][] {
    return [["momentum", "norm"]];
  }
  protected updateStep(index: number, w: Float32Array, g: Float32Array, lr: number): void {
    const b1 = this.num("beta_1");
    const b2 = this.num("beta_2");
    const eps = this.num("epsilon");
    const correction = 1 - Math.fround(b1) ** (this.iterations + 1);
    const m = this.slot("momentum", index);
    const u = this.slot("norm", index);
    for (let j = 0; j < w.length; j++) {
      m[j] = m[j]! + (g[j]! - m[j]!) * (1 - b1);
      u[j] = Math.max(b2 * u[j]!, Math.abs(g[j]!));
      w[j] = w[j]! - (lr * m[j]!) / (correction * (u[j]! + eps));
    }
  }
}
