import { KerasOptimizer, type OptimizerConfig } from "./base.js";
import type { SimdArena } from "./simd-arena.js";

/**
 * Keras 3's SGD: `m = momentum * m - lr * g`, then `w += m` (or, with nesterov,
 * `w += momentum * m - lr * g`); plain `w -= lr * g` when momentum is 0.
 */
export class SGD extends KerasOptimizer {
  readonly className = "SGD";
  constructor(config: OptimizerConfig = {}) {
    super(config, { name: "SGD", learning_rate: 0.01, momentum: 0.0, nesterov: false });
    const m = this.num("momentum");
    if (m < 0 || m > 1) this.fail("momentum must be in [0, 1]", "momentum");
  }
  protected slotGroups(): string[][] {
    return this.num("momentum") !== 0 ? [["momentum"]] : [];
  }
  protected override simdUpdate() {
    const momentum = this.num("momentum");
    if (momentum === 0) return null;
    const nesterov = this.config.nesterov === true ? 1 : 0;
    return (arena: SimdArena, i: number, lr: number) => {
      const r = arena.regions[i]!;
      arena.kernels.sgd(
        r.w.byteOffset,
        r.g.byteOffset,
        r.slots.get("momentum")!.byteOffset,
        r.n4,
        lr,
        momentum,
        nesterov,
      );
    };
  }

  protected updateStep(index: number, w: Float32Array, g: Float32Array, lr: number): void {
    const momentum = this.num("momentum");
    if (momentum === 0) {
      for (let j = 0; j < w.length; j++) w[j] = w[j]! - g[j]! * lr;
      return;
    }
    const m = this.slot("momentum", index);
    const nesterov = this.config.nesterov === true;
    for (let j = 0; j < w.length; j++) {
      const step = g[j]! * lr;
      m[j] = m[j]! * momentum - step;
      w[j] = w[j]! + (nesterov ? m[j]! * momentum - step : m[j]!);
    }
  }
}
