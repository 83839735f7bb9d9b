import { KerasOptimizer, type OptimizerConfig } from "./base.js";
import type { SimdArena } from "./simd-arena.js";

/**
 * Keras 3's Adam: `m += (g - m)(1 - β1)`, `v += (g² - v)(1 - β2)`, and the bias correction folded into
 * the step size, `w -= m · lr·sqrt(1 - β2^t)/(1 - β1^t) / (sqrt(v) + epsilon)` (epsilon is not
 * bias-corrected, unlike tfjs's Adam); amsgrad divides by the running maximum of `v`.
 */
export class Adam extends KerasOptimizer {
  readonly className: string = "Adam";
  constructor(config: OptimizerConfig = {}, defaults: OptimizerConfig = {}) {
    super(config, {
      name: "adam",
      learning_rate: 0.001,
      beta_1: 0.9,
      beta_2: 0.999,
      epsilon: 1e-7,
      amsgrad: false,
      ...defaults,
    });
  }
  protected slotGroups(): string[][] {
    return [["momentum", "velocity"], ...(this.config.amsgrad ? [["velocity_hat"]] : [])];
  }
  protected override simdUpdate() {
    if (this.config.amsgrad) return null;
    const [b1, b2, eps] = [this.num("beta_1"), this.num("beta_2"), this.num("epsilon")];
    return (arena: SimdArena, i: number, lr: number) => {
      const t = this.iterations + 1;
      const alpha = (lr * Math.sqrt(1 - Math.fround(b2) ** t)) / (1 - Math.fround(b1) ** t);
      const r = arena.regions[i]!;
      const [m, v] = [r.slots.get("momentum")!, r.slots.get("velocity")!];
      arena.kernels.adam(
        r.w.byteOffset,
        r.g.byteOffset,
        m.byteOffset,
        v.byteOffset,
        r.n4,
        b1,
        1 - b1,
        b2,
        1 - b2,
        alpha,
        eps,
      );
    };
  }

  protected updateStep(index: number, w: Float32Array, g: Float32Array, lr: number): void {
    const b1 = this.num("beta_1");
    const b2 = this.num("beta_2");
    const eps = this.num("epsilon");
    const t = this.iterations + 1;
    const alpha = (lr * Math.sqrt(1 - Math.fround(b2) ** t)) / (1 - Math.fround(b1) ** t);
    const m = this.slot("momentum", index);
    const v = this.slot("velocity", index);
    const vHat = this.config.amsgrad ? this.slot("velocity_hat", index) : null;
    for (let j = 0; j < w.length; j++) {
      const gj = g[j]!;
      m[j] = m[j]! * b1 + gj * (1 - b1);
      v[j] = v[j]! * b2 + gj * gj * (1 - b2);
      let vj = v[j]!;
      if (vHat) vj = vHat[j] = Math.max(vHat[j]!, vj);
      w[j] = w[j]! - (m[j]! * alpha) / (Math.sqrt(vj) + eps);
    }
  }
}

/** Keras 3's AdamW: Adam with decoupled weight decay (default 0.004), which the base class applies. */
export class AdamW extends Adam {
  override readonly className = "AdamW";
  constructor(config: OptimizerConfig = {}) {
    super(config, { name: "adamw", weight_decay: 0.004 });
    if (this.config.weight_decay == null) this.fail("weight_decay must be a float", "weight_decay");
  }
}
