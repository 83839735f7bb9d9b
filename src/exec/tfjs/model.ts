import type { NdArray } from "../../formats/npy/array.js";
import { type OpenOptions, openModel } from "../../formats/open.js";
import { GraphError } from "../../ir/errors.js";
import type { Graph } from "../../ir/graph.js";
import { buildTfjsModel } from "./build.js";
import { predictArrays } from "./predict.js";
import { type TfjsBackend, type tf as TF, useTfjsBackend } from "./runtime.js";
import type { History, Logs } from "./train/callbacks.js";
import { type CompileArgs, type Compiled, resolveCompile } from "./train/compile.js";
import { compileArgsFromConfig } from "./train/compile-config.js";
import { type ArrayInput, type Column, columnsFor, sampleCount, validationSplit } from "./train/data.js";
import { checkBeforeTraining } from "./train/preflight.js";
import { type FitArgs, evaluateLoop, fitLoop, splitColumns } from "./train/fit.js";
import { Stepper } from "./train/step.js";
import { optimizerState, restoreOptimizerState } from "./optimizer-state.js";
import { readTfjsWeights } from "./weights.js";
import { TrainingError } from "./errors.js";

export interface TfjsModelOptions {
  /** The tfjs backend (default "wasm"). */
  backend?: TfjsBackend;
}

/**
 * A Keras model running on TensorFlow.js: a live tfjs-layers model built from the graph with its
 * weights, trained with Keras's semantics (`compile`, `fit`, `evaluate` as Keras 3 defines them, with
 * Keras's optimizers) and predicting with tfjs's kernels. `syncWeights()` writes the trained values
 * back into the graph, ready for `saveModel`.
 */
export class TfjsModel {
  /** Set by a callback to end `fit` after the current epoch, as Keras's `model.stop_training`. */
  stopTraining = false;
  private compileArgs: CompileArgs | null = null;
  /** Whether `compile` was called (else the arguments came from the file's compile config). */
  private compiledHere = false;
  private compiled: Compiled | null = null;
  private stepper: Stepper | null = null;

  private constructor(
    readonly graph: Graph,
    readonly model: TF.LayersModel,
    readonly backend: TfjsBackend,
  ) {
    this.compileArgs = compileArgsFromConfig(graph.envelope.compile_config);
  }

  /** Builds the tfjs model for a graph (with weight values) on the backend. */
  static async fromGraph(graph: Graph, options: TfjsModelOptions = {}): Promise<TfjsModel> {
    const backend = await useTfjsBackend(options.backend ?? "wasm");
    return new TfjsModel(graph, await buildTfjsModel(graph), backend);
  }

  /** Opens any model file kerasgraph reads (with its weights) and builds it on tfjs. */
  static async load(path: string, options: TfjsModelOptions & OpenOptions = {}): Promise<TfjsModel> {
    const { graph } = await openModel(path, options);
    return TfjsModel.fromGraph(graph, options);
  }

  get inputNames(): string[] {
    return this.graph.inputs.map((t) => t.layer.name);
  }

  get outputNames(): string[] {
    return this.graph.outputs.map((t) => t.layer.name);
  }

  /** Whether compile arguments are set (by `compile`, or from the file's compile config). */
  get compiledArgs(): CompileArgs | null {
    return this.compileArgs;
  }

  /** Keras's `model.compile`; a model read from a compiled `.keras`/`.h5` starts compiled as saved. */
  compile(args: CompileArgs): void {
    this.compileArgs = { ...args };
    this.compiledHere = true;
    this.compiled = null;
    this.stepper = null;
  }

  /** Keras's `model.fit(x, y, ...)`; returns the History (`history.history` has Keras's keys). */
  async fit(x: ArrayInput, y: ArrayInput, args: FitArgs = {}): Promise<History> {
    await useTfjsBackend(this.backend);
    const xs = columnsFor("x", x, this.graph.inputs);
    const ys = columnsFor("y", y, this.graph.outputs);
    const n = sampleCount(xs, ys);
    const batchSize = positiveInt("batchSize", args.batchSize ?? 32);
    positiveInt("epochs", args.epochs ?? 1);
    const at = args.validationSplit ? validationSplit(n, args.validationSplit) : n;
    const { train, val } = splitColumns(xs, ys, n, at);
    const stepper = this.prepare(ys);
    checkBeforeTraining(this.model, this.compiled!, train);
    return fitLoop(stepper, this, train, args.validationSplit ? val : null, { ...args, batchSize });
  }

  /** Keras's `model.evaluate(x, y, return_dict=True)`. */
  async evaluate(x: ArrayInput, y: ArrayInput, args: { batchSize?: number } = {}): Promise<Logs> {
    await useTfjsBackend(this.backend);
    const xs = columnsFor("x", x, this.graph.inputs);
    const ys = columnsFor("y", y, this.graph.outputs);
    const n = sampleCount(xs, ys);
    const stepper = this.prepare(ys);
    checkBeforeTraining(this.model, this.compiled!, { x: xs, y: ys, n });
    return evaluateLoop(stepper, { x: xs, y: ys, n }, positiveInt("batchSize", args.batchSize ?? 32));
  }

  /** Keras's `model.predict(x)`: one array per output, in the model's output order. */
  async predict(x: ArrayInput, args: { batchSize?: number } = {}): Promise<NdArray[]> {
    await useTfjsBackend(this.backend);
    return predictArrays(
      this.model,
      columnsFor("x", x, this.graph.inputs),
      positiveInt("batchSize", args.batchSize ?? 32),
    );
  }

  /**
   * Writes the tfjs variables' current values into the graph's layers and, once trained, the
   * optimizer's variables and the compile arguments into the graph (what a compiled `.keras` keeps).
   */
  syncWeights(): Graph {
    readTfjsWeights(this.graph, this.model);
    if (this.compiled?.optimizer.built) {
      this.graph.optimizer = optimizerState(this.compiled.optimizer);
      if (this.compiledHere && this.compileArgs)
        this.graph.envelope.compile_config = compileConfig(this.compileArgs, this.compiled);
    }
    return this.graph;
  }

  dispose(): void {
    this.model.dispose();
  }

  private prepare(ys: Column[]): Stepper {
    if (!this.compileArgs) {
      throw new GraphError(
        `model '${this.graph.name}' is not compiled. Call compile({optimizer, loss}) first (or open a compiled .keras file).`,
      );
    }
    if (!this.compiled) {
      const yPred = this.model.outputs.map((t) => [1, ...t.shape.slice(1).map((d) => d ?? 1)]);
      const yTrue = ys.map((c) => [1, ...c.shape]);
      this.compiled = resolveCompile(this.compileArgs, this.outputNames, yTrue, yPred);
    }
    if (!this.stepper) {
      this.stepper = new Stepper(this.model, this.compiled);
      if (!this.compiledHere) restoreOptimizerState(this.compiled.optimizer, this.graph);
    }
    return this.stepper;
  }
}

function positiveInt(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1)
    throw new TrainingError(`${name} must be a positive integer. Received: ${name}=${v}`);
  return v;
}

/** Keras's `compile_config` for arguments given to `compile` (names and serialized objects as given). */
function compileConfig(args: CompileArgs, compiled: Compiled): Record<string, unknown> {
  return {
    optimizer: compiled.optimizer.serialize(),
    loss: args.loss ?? null,
    loss_weights: args.lossWeights ?? null,
    metrics: args.metrics ?? null,
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: false,
  };
}
