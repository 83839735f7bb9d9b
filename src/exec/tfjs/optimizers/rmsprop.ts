import { KerasOptimizer, type OptimizerConfig } from "./base.js";
import type { SimdArena } from "./simd-arena.js";

/**
 * Keras 3's RMSprop: `v = rho * v + (1 - rho) * g²`, `w -= lr * g / sqrt(v + epsilon)` — epsilon inside
 * the square root (tf.keras 2 and tfjs add it outside); centered subtracts the squared mean gradient
 * inside the root; momentum accumulates the increments.
 */
export class RMSprop extends KerasOptimizer {
  readonly className = "RMSprop";
  constructor(config: OptimizerConfig = {}) {
    super(config, { name: "rmsprop", learning_rate: 0.001, rho: 0.9, momentum: 0.0, epsilon: 1e-7, centered: false });
  }
  protected slotGroups(): string[][] {
    return [
      ["velocity"],
      ...(this.num("momentum") > 0 ? [["momentum"]] : []),
      ...(this.config.centered ? [["average_gradient"]] : []),
    ];
  }
  protected override simdUpdate() {
    if (this.num("momentum") > 0 || this.config.centered) return null;
    const [rho, eps] = [this.num("rho"), this.num("epsilon")];
    return (arena: SimdArena, i: number, lr: number) => {
      const r = arena.regions[i]!;
      arena.kernels.rmsprop(
        r.w.byteOffset,
        r.g.byteOffset,
        r.slots.get("velocity")!.byteOffset,
        r.n4,
        rho,
        1 - rho,
        lr,
        eps,
      );
    };
  }

  protected updateStep(index: number, w: Float32Array, g: Float32Array, lr: number): void {
    const rho = this.num("rho");
    const eps = this.num("epsilon");
    const momentum = this.num("momentum");
    const v = this.slot("velocity", index);
    const avg = this.config.centered ? this.slot("average_gradient", index) : null;
    const m = momentum > 0 ? this.slot("momentum", index) : null;
    if (!avg && !m) {
      // The default configuration, without the branches.
      for (let j = 0; j < w.length; j++) {
        const gj = g[j]!;
        v[j] = rho * v[j]! + (1 - rho) * gj * gj;
        w[j] = w[j]! - (lr * gj) / Math.sqrt(v[j]! + eps);
      }
      return;
    }
    for (let j = 0; j < w.length; j++) {
      const gj = g[j]!;
      v[j] = rho * v[j]! + (1 - rho) * gj * gj;
      let denominator = v[j]! + eps;
      if (avg) {
        avg[j] = rho * avg[j]! + (1 - rho) * gj;
        denominator = v[j]! - avg[j]! * avg[j]! + eps;
      }
      const increment = (lr * gj) / Math.sqrt(denominator);
      if (m) {
        m[j] = momentum * m[j]! + increment;
        w[j] = w[j]! - m[j]!;
      } else w[j] = w[j]! - increment;
    }
  }
}
