import * as tf from "@tensorflow/tfjs-core";
import { keras3BuildConfig } from "../formats/keras-json/build-config.js";
import { callLayer } from "../ir/build.js";
import { FormatError } from "../ir/errors.js";
import type { Call, Tensor, WeightSpec } from "../ir/graph.js";
import { Layer as IrLayer } from "../ir/graph.js";
import type { Shape } from "../ir/shape.js";
import type { TypedArray } from "../ir/weights.js";
import "../layers/index.js";
import { defaultRegistry } from "../layers/registry.js";
import type { LayerClass } from "./custom/kind.js";
import { useLayerClass } from "./custom/register.js";
import { runEager } from "./custom/eager.js";
import { type Weight, type WeightArgs, declareWeight } from "./custom/weight.js";
import { symbolicArgs, unwrap, withInputs } from "./call-args.js";
import { registeredNameOf } from "./custom/registered-names.js";
import type { KerasTensor, SymbolicInput } from "./keras-tensor.js";
import { configRule } from "./layers/config-rules.js";
import { serializeDtypePolicy } from "./serialize/dtype-policy.js";
import { type KerasSession, currentSession } from "./session.js";
import { ensureValues, freshValues, setLayerWeights } from "./weights/values.js";

/** Options every layer takes (Keras's base `Layer.__init__`). */
export interface LayerOptions {
  name?: string;
  trainable?: boolean;
  /** A dtype policy name ("float32", "mixed_float16") or a serialized DTypePolicy. */
  dtype?: unknown;
  /** The session whose counters name the layer (the current one by default). */
  session?: KerasSession;
}

interface LayerState {
  session: KerasSession;
  name: string;
  trainable: boolean;
  dtype: unknown;
  ir: IrLayer | null;
  weights: Weight[];
  built: boolean;
}

const apiLayers = new WeakMap<IrLayer, Layer>();

/** The API layer that stands for an IR layer, if one was made or bound. */
export function boundLayer(ir: IrLayer): Layer | undefined {
  return apiLayers.get(ir);
}

/**
 * A layer is callable: `layer(x)` is Keras's `layer(x)`; a second call shares the layer (and its
 * weights). A class cannot declare a call signature, so this interface adds it to the class Layer,
 * whose constructor returns a function object with the class's prototype.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the callable layer, see above
export interface Layer {
  <T = KerasTensor>(inputs: SymbolicInput | tf.Tensor | tf.Tensor[], kwargs?: Record<string, unknown>): T;
}

/**
 * Keras's `Layer`: built-in layers come from the `layers` factories; a custom layer extends this class
 * with `build(inputShape)` (adding weights with `addWeight`), `call(inputs)` written with tfjs ops,
 * `computeOutputShape(inputShape)` and `getConfig()`. Every layer wraps one IR Layer (`ir`), which the
 * graph, the summary, the writers and the executors read.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the callable layer, see above
export class Layer {
  declare private state: LayerState;

  constructor(options: LayerOptions = {}) {
    const self = function (
      this: unknown,
      inputs: SymbolicInput | tf.Tensor | tf.Tensor[],
      kwargs?: Record<string, unknown>,
    ) {
      const layer = self as unknown as Layer;
      const eager =
        inputs instanceof tf.Tensor ||
        (Array.isArray(inputs) && inputs.length > 0 && inputs.every((t) => t instanceof tf.Tensor));
      return eager
        ? layer.eager(inputs as tf.Tensor | tf.Tensor[], kwargs ?? {})
        : layer.invoke(inputs as SymbolicInput, kwargs ?? {});
    } as unknown as Layer;
    Object.setPrototypeOf(self, new.target.prototype);
    // A function's own `name` and `length` would hide the layer's.
    delete (self as unknown as { name?: string }).name;
    delete (self as unknown as { length?: number }).length;
    const session = options.session ?? currentSession();
    const className = (new.target as unknown as { className?: string }).className ?? new.target.name;
    self.state = {
      session,
      name: options.name ?? (new.target === Layer ? "" : session.autoName(className)),
      trainable: options.trainable ?? true,
      dtype: options.dtype ?? null,
      ir: null,
      weights: [],
      built: false,
    };
    return self;
  }

  /** Keras's class name (`Dense`, or a custom class's name). */
  get className(): string {
    const ctor = this.constructor as unknown as { className?: string; name: string };
    return ctor.className ?? ctor.name;
  }

  get name(): string {
    return this.state.ir?.name ?? this.state.name;
  }

  get session(): KerasSession {
    return this.state.session;
  }

  /** The IR layer: the graph's record of this layer, its config, calls and weights. */
  get ir(): IrLayer {
    if (!this.state.ir) this.bind(this.makeIr());
    return this.state.ir!;
  }

  /** Makes this layer stand for `ir` (a layer read from a file, or the one this layer just made). */
  bind(ir: IrLayer): void {
    this.state.ir = ir;
    apiLayers.set(ir, this);
  }

  /** The IR layer of a custom layer, made on first use from `getConfig()`. */
  protected makeIr(): IrLayer {
    const config = this.hasOwnConfig() ? this.getConfig() : this.baseConfig();
    return new IrLayer(this.className, this.name, config, {
      module: null,
      registeredName: registeredNameOf(this.constructor) ?? this.className,
    });
  }

  /** True when the class writes its own config (a custom layer overriding `getConfig`). */
  hasOwnConfig(): boolean {
    return (this.constructor as typeof Layer).prototype.getConfig !== Layer.prototype.getConfig;
  }

  get trainable(): boolean {
    return this.state.ir ? this.state.ir.trainable : this.state.trainable;
  }

  set trainable(value: boolean) {
    this.state.trainable = value;
    if (this.state.ir) this.state.ir.config.trainable = value;
  }

  get built(): boolean {
    return this.state.ir?.built ?? false;
  }

  /** Keras's base `get_config()`: name, trainable and the dtype policy. Custom layers add their arguments. */
  getConfig(): Record<string, unknown> {
    return this.state.ir && !this.isCustom() ? structuredClone(this.state.ir.config) : this.baseConfig();
  }

  private baseConfig(): Record<string, unknown> {
    const where = `${this.className} '${this.name}'`;
    return {
      name: this.name,
      trainable: this.trainable,
      dtype: serializeDtypePolicy(this.state.dtype, this.state.session.floatx, where),
    };
  }

  /** True for a layer class written by the user (not a catalog kind). */
  isCustom(): boolean {
    return !(this.constructor as unknown as { builtin?: boolean }).builtin;
  }

  /** Keras's `layer.input`: what the first call received. */
  get input(): KerasTensor | KerasTensor[] {
    return unwrap(this.firstCall("input").inputs);
  }

  /** Keras's `layer.output`: what the first call returned. */
  get output(): KerasTensor | KerasTensor[] {
    return unwrap(this.firstCall("output").outputs);
  }

  private firstCall(what: string): Call {
    const call = this.state.ir?.calls[0];
    if (!call) throw new FormatError(`${this.className} '${this.name}' has never been called, so it has no ${what}.`);
    return call;
  }

  /** The variables `build` created: name (Keras's path within the layer), shape, dtype, trainable. */
  get weights(): WeightSpec[] {
    return this.ir.variables().map((v) => ({ ...v.weight, trainable: v.trainable }));
  }

  /** Keras's `count_params()`. */
  countParams(): number {
    return this.ir.paramCounts().total;
  }

  /** The weights' values, in `weights` order (fresh ones are drawn from their initializers on first use). */
  getWeights(): TypedArray[] {
    return this.ir.variables().map((v) => ensureValues(v.layer, v.weight).values);
  }

  /** Sets every weight's values, in `weights` order (typed arrays of the weights' sizes). */
  setWeights(values: (TypedArray | number[])[]): void {
    setLayerWeights(this.ir, values, `${this.className} '${this.name}'`);
  }

  /** Keras's `build(input_shape)`: custom layers add their weights here. */
  build(_inputShape: Shape | Shape[]): void {}

  /**
   * Keras's `compute_output_shape(input_shape)`. A custom layer that does not override it has its
   * output shapes found by running `call` once on zeros (unknown dimensions as 1, the batch kept unknown).
   */
  computeOutputShape(_inputShape: Shape | Shape[]): Shape | Shape[] {
    throw new FormatError(`${this.className} '${this.name}' does not implement computeOutputShape().`);
  }

  /** True when the class computes its output shapes itself. */
  hasOutputShapeRule(): boolean {
    return (this.constructor as typeof Layer).prototype.computeOutputShape !== Layer.prototype.computeOutputShape;
  }

  /**
   * Keras's `from_config(config)`: `new Cls(config)`, for a class whose constructor takes its config
   * object (the keys `getConfig` wrote, snake_case as Keras writes them). Override it otherwise.
   */
  static fromConfig(config: Record<string, unknown>): Layer {
    return new (this as unknown as new (config: Record<string, unknown>) => Layer)(config);
  }

  /** Keras's `call(inputs)`, with tfjs ops; custom layers implement it. */
  call(_inputs: tf.Tensor | tf.Tensor[], _kwargs?: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    throw new FormatError(`${this.className} '${this.name}' does not implement call().`);
  }

  /**
   * Keras's `add_weight(shape, initializer, trainable, name, dtype)`, from `build`: declares a variable
   * and returns its handle (`weight.value` is its tensor inside `call`).
   */
  addWeight(spec: WeightArgs): Weight {
    const weight = declareWeight(() => this.ir, spec, this.state.weights, {
      where: `${this.className} '${this.name}'`,
      floatx: this.state.session.floatx,
    });
    this.state.weights.push(weight);
    return weight;
  }

  /** The custom weights `build` declared, in order. */
  get customWeights(): readonly Weight[] {
    return this.state.weights;
  }

  /** Runs `build` once (Keras's `maybe_build`). */
  ensureBuilt(inputShape: Shape | Shape[]): void {
    if (this.state.built) return;
    this.build(inputShape);
    this.state.built = true;
  }

  /** `layer(inputs, kwargs)`: a call on symbolic tensors, checked at once by the layer's kind. */
  protected invoke(inputs: SymbolicInput, kwargs: Record<string, unknown>): unknown {
    const where = `${this.className} '${this.name}'`;
    const { args, kwargs: irKwargs } = symbolicArgs(this.className, inputs, kwargs, where);
    if (this.isCustom()) useLayerClass(this.constructor as LayerClass);
    const ir = this.ir;
    const first = ir.calls.length === 0;
    let call: Call;
    try {
      call = callLayer(ir, args, irKwargs, this.resolver());
    } catch (e) {
      throw withInputs(e, args, irKwargs);
    }
    if (first) this.afterFirstCall(call);
    return this.wrapOutputs(call.outputs);
  }

  /**
   * A custom layer called on tfjs tensors (Keras's eager call, `layer(tf.zeros([1, 10, 5]))`): builds
   * it on their shapes, gives its weights values, and runs `call`.
   */
  protected eager(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    return runEager(this, inputs, kwargs);
  }

  /** Kinds to resolve with: the default registry, where custom classes are known once used or registered. */
  protected resolver() {
    return defaultRegistry.resolver();
  }

  /** What Keras's `build` leaves in the config, and a custom layer's `build_config`. */
  protected afterFirstCall(call: Call): void {
    const ir = call.layer;
    configRule(ir.className)?.built?.(
      ir.config,
      call.inputs.map((t) => t.shape),
    );
    if (this.isCustom() && (this.constructor as typeof Layer).prototype.build !== Layer.prototype.build) {
      ir.meta.buildConfig = keras3BuildConfig(ir, call);
    }
    for (const w of ir.weights ?? []) {
      if (!ir.values.has(w.name)) ir.values.set(w.name, freshValues(this, ir, w));
    }
  }

  protected wrapOutputs(outputs: Tensor[]): unknown {
    return unwrap(outputs);
  }
}
