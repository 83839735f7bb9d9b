import { SimdArena } from "./simd-arena.js";
import { type LearningRate, learningRateAt, readLearningRate } from "./schedules.js";
import { TrainingError } from "../errors.js";

/** An optimizer's Keras config (`optimizer.get_config()`), snake_case keys as Keras writes them. */
export type OptimizerConfig = Record<string, unknown>;

/** The keyword arguments every Keras 3 optimizer takes (`BaseOptimizer.__init__`), with Keras's defaults. */
const BASE_DEFAULTS: OptimizerConfig = {
  weight_decay: null,
  clipnorm: null,
  global_clipnorm: null,
  clipvalue: null,
  use_ema: false,
  ema_momentum: 0.99,
  ema_overwrite_frequency: null,
  loss_scale_factor: null,
  gradient_accumulation_steps: null,
};

/** One optimizer variable as Keras saves it (`optimizer.variables`, in that order). */
export interface OptimizerSlot {
  name: string;
  shape: number[];
  values: Float32Array;
}

/**
 * Keras 3's `BaseOptimizer` on plain Float32Arrays: the learning rate (or its schedule, evaluated at
 * `iterations`), gradient clipping (`clipnorm`, `global_clipnorm`, `clipvalue`), decoupled weight decay
 * (`variable -= variable * weight_decay * lr` before the update), gradient accumulation and the
 * iteration counter, around each subclass's `update_step`. Slot variables are created in Keras's order
 * (`add_optimizer_variables` interleaves the names of one call per variable), so `slots()` lists them
 * as `.keras` files store them.
 */
export abstract class KerasOptimizer {
  abstract readonly className: string;
  readonly config: OptimizerConfig;
  readonly learningRate: LearningRate;
  iterations = 0;
  private shapes: number[][] | null = null;
  private names: string[] = [];
  private readonly slotValues = new Map<string, Float32Array[]>();
  private accumulated: Float32Array[] = [];
  private arena: SimdArena | null = null;

  constructor(config: OptimizerConfig, defaults: OptimizerConfig) {
    this.config = { ...BASE_DEFAULTS, ...defaults, ...config };
    this.learningRate = readLearningRate(this.config.learning_rate, this.label);
    for (const key of ["use_ema"]) {
      if (this.config[key]) this.fail(`${key} is not supported by kerasgraph's trainer`, key);
    }
    const clips = ["clipnorm", "clipvalue", "global_clipnorm"].filter((k) => this.config[k] != null);
    if (clips.length > 1) this.fail("only one of clipnorm, clipvalue and global_clipnorm can be set", clips.join(", "));
    const steps = this.config.gradient_accumulation_steps;
    if (steps != null && !(Number.isInteger(steps) && (steps as number) >= 2)) {
      this.fail("gradient_accumulation_steps must be an integer >= 2", "gradient_accumulation_steps");
    }
  }

  /** The slot names of each `add_optimizer_variables` call `build` makes, in order. */
  protected abstract slotGroups(): string[][];

  /** Keras's `update_step(gradient, variable, learning_rate)` for variable `index`, in place. */
  protected abstract updateStep(index: number, param: Float32Array, grad: Float32Array, lr: number): void;

  /** Called once per `apply` before the per-variable updates (Nadam's `u_product`). */
  protected beforeUpdates(): void {}

  /**
   * The SIMD kernel that runs this optimizer's update for its configuration (simd-module.ts), or null
   * for the plain loops of `updateStep`. `run` calls it on one variable's regions.
   */
  protected simdUpdate(): ((arena: SimdArena, index: number, lr: number) => void) | null {
    return null;
  }

  protected get label(): string {
    return `${this.constructor.name} optimizer`;
  }

  protected num(key: string): number {
    const v = this.config[key];
    if (typeof v !== "number" || !Number.isFinite(v)) this.fail(`${key} must be a number`, key);
    return v as number;
  }

  protected fail(message: string, key: string): never {
    throw new TrainingError(`${this.label}: ${message}. Received: ${key}=${JSON.stringify(this.config[key] ?? null)}`);
  }

  /** The slot `name` of variable `index`. */
  protected slot(name: string, index: number): Float32Array {
    return this.slotValues.get(name)![index]!;
  }

  /** The initial value of a slot (zeros; Adagrad's accumulators start at `initial_accumulator_value`). */
  protected slotInitialValue(_name: string): number {
    return 0;
  }

  get built(): boolean {
    return this.shapes !== null;
  }

  /** Creates the slot variables for variables of these shapes (and names, used in `slots()`). */
  build(shapes: number[][], names: string[] = shapes.map((_, i) => `variable_${i}`)): void {
    if (this.shapes) return;
    this.shapes = shapes.map((s) => [...s]);
    this.names = names;
    const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
    const slotNames = this.slotGroups().flat();
    this.arena = this.simdUpdate() ? SimdArena.create(this.shapes.map(size), slotNames) : null;
    for (const name of slotNames) {
      const arrays = this.arena
        ? this.arena.regions.map((r) => r.slots.get(name)!)
        : this.shapes.map((s) => new Float32Array(size(s)));
      for (const a of arrays) a.fill(this.slotInitialValue(name));
      this.slotValues.set(name, arrays);
    }
    if (this.config.gradient_accumulation_steps) this.accumulated = this.shapes.map((s) => new Float32Array(size(s)));
  }

  /**
   * Where variable `index`'s values may be kept between updates so that `apply` updates them in place
   * (the SIMD kernels' memory), or null. Valid once built.
   */
  weightBuffer(index: number): Float32Array | null {
    return this.arena?.regions[index]?.w ?? null;
  }

  /** The learning rate of the coming update (a schedule's value at `iterations`). */
  currentLearningRate(): number {
    return learningRateAt(this.learningRate, this.iterations);
  }

  /**
   * Keras's `optimizer.apply(grads, variables)`: updates `params` in place from `grads` (one Float32Array
   * each, in the order the optimizer was built with) and counts the iteration.
   */
  apply(params: Float32Array[], grads: Float32Array[]): void {
    if (!this.shapes)
      throw new Error(`${this.label} was not built; call build(shapes) with the variables' shapes first.`);
    if (params.length !== this.shapes.length || grads.length !== this.shapes.length) {
      throw new TrainingError(
        `${this.label} was built for ${this.shapes.length} variables. Received: ${params.length} variables and ${grads.length} gradients`,
      );
    }
    const steps = this.config.gradient_accumulation_steps as number | null;
    if (steps) {
      if ((this.iterations + 1) % steps !== 0) {
        grads.forEach((g, i) => addInto(this.accumulated[i]!, g));
        this.iterations++;
        return;
      }
      grads = grads.map((g, i) => {
        const acc = this.accumulated[i]!;
        const out = new Float32Array(g.length);
        for (let j = 0; j < g.length; j++) out[j] = (g[j]! + acc[j]!) / steps;
        acc.fill(0);
        return out;
      });
    }
    grads = this.clip(grads);
    const lr = this.currentLearningRate();
    const decay = this.config.weight_decay as number | null;
    if (decay) {
      const keep = Math.fround(1 - decay * lr);
      for (const p of params) for (let j = 0; j < p.length; j++) p[j] = p[j]! * keep;
    }
    this.beforeUpdates();
    const simd = this.arena ? this.simdUpdate() : null;
    for (let i = 0; i < params.length; i++) {
      if (!simd) {
        this.updateStep(i, params[i]!, grads[i]!, lr);
        continue;
      }
      const region = this.arena!.regions[i]!;
      if (params[i] !== region.w) region.w.set(params[i]!);
      region.g.set(grads[i]!);
      simd(this.arena!, i, lr);
      if (params[i] !== region.w) params[i]!.set(region.w);
    }
    this.iterations++;
  }

  private clip(grads: Float32Array[]): Float32Array[] {
    const { clipnorm, global_clipnorm, clipvalue } = this.config as Record<string, number | null>;
    if (clipnorm && clipnorm > 0) return grads.map((g) => scaled(g, clipnorm / Math.max(l2(g), clipnorm)));
    if (global_clipnorm && global_clipnorm > 0) {
      const norm = Math.sqrt(grads.reduce((s, g) => s + l2(g) ** 2, 0));
      return grads.map((g) => scaled(g, global_clipnorm * Math.min(1 / norm, 1 / global_clipnorm)));
    }
    if (clipvalue && clipvalue > 0) return grads.map((g) => g.map((v) => Math.min(Math.max(v, -clipvalue), clipvalue)));
    return grads;
  }

  /**
   * The optimizer's variables in Keras's order (`iteration`, `learning_rate`, then the slots), as a
   * `.keras` file's `optimizer/vars` holds them.
   */
  slots(): OptimizerSlot[] {
    const out: OptimizerSlot[] = [
      { name: "iteration", shape: [], values: Float32Array.of(this.iterations) },
      { name: "learning_rate", shape: [], values: Float32Array.of(this.currentLearningRate()) },
    ];
    for (const group of this.slotGroups()) {
      (this.shapes ?? []).forEach((shape, i) => {
        for (const name of group) out.push({ name: `${this.names[i]}_${name}`, shape, values: this.slot(name, i) });
      });
    }
    return out;
  }

  /** `{"class_name", "config"}` as `keras.optimizers.serialize` writes it. */
  serialize(): { module: string; class_name: string; config: OptimizerConfig; registered_name: null } {
    return {
      module: "keras.optimizers",
      class_name: this.className,
      config: { ...this.config },
      registered_name: null,
    };
  }
}

function l2(g: Float32Array): number {
  let s = 0;
  for (let j = 0; j < g.length; j++) s += g[j]! * g[j]!;
  return Math.sqrt(s);
}

function scaled(g: Float32Array, k: number): Float32Array {
  return k === 1 ? g : g.map((v) => v * k);
}

function addInto(acc: Float32Array, g: Float32Array): void {
  for (let j = 0; j < g.length; j++) acc[j] = acc[j]! + g[j]!;
}
